"""Block Kit as terminal text, for the local shell: mrkdwn rendered, buttons and checkboxes numbered."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.messages.common import as_typed

EMOJI = {
    "palm_tree": "🌴",
    "large_green_circle": "🟢",
    "warning": "⚠️",
    "thinking_face": "🤔",
    "calendar": "📅",
    "arrows_counterclockwise": "🔄",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "white_check_mark": "✅",
    "black_square_button": "🔲",
    "eyes": "👀",
    "rotating_light": "🚨",
    "link": "🔗",
    "no_entry_sign": "🚫",
    "leftwards_arrow_with_hook": "↩️",
    "wave": "👋",
    "wastebasket": "🗑️",
    "raised_hands": "🙌",
    "outbox_tray": "📤",
    "memo": "📝",
}
Block = dict[str, Any]


@dataclass(frozen=True)
class Button:
    """Something to press: a button, or one checkbox to tick or untick."""

    label: str
    action: dict[str, Any]  # the action as Slack reports it in block_actions when this is pressed


@dataclass
class Rendered:
    text: str
    buttons: list[Button] = field(default_factory=list)


def mrkdwn_to_text(text: str, names: Mapping[str, str]) -> str:
    text = as_typed(text, names)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)
    return re.sub(r":([a-z_]+):", lambda m: EMOJI.get(m[1], m[0]), text)


def _text(obj: dict[str, Any], names: Mapping[str, str]) -> str:
    """A text object as a reader sees it: plain_text exactly as written, mrkdwn rendered."""
    text = str(obj.get("text", ""))
    return text if obj.get("type") == "plain_text" else mrkdwn_to_text(text, names)


def _button(element: dict[str, Any], block_id: str) -> Button:
    action = {
        "type": "button",
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element["text"],
        "value": element.get("value", ""),
    }
    return Button(element["text"]["text"], action)


def _checkboxes(element: dict[str, Any], block_id: str) -> list[Button]:
    """One choice per box; pressing it sends every box ticked afterwards, as Slack does."""
    ticked = element.get("initial_options") or []
    values = {o["value"] for o in ticked}
    choices = []
    for option in element.get("options", []):
        if option["value"] in values:
            after = [o for o in ticked if o["value"] != option["value"]]
        else:
            after = [*ticked, option]
        action = {
            "type": "checkboxes",
            "action_id": element["action_id"],
            "block_id": block_id,
            "selected_options": after,
        }
        mark = "☑" if option["value"] in values else "☐"
        choices.append(Button(f"{mark} {option['text']['text']}", action))
    return choices


def _actions(block: Block, index: int) -> tuple[list[Button], str]:
    """The block's controls, and how they are laid out: buttons on one line, checkboxes one per line."""
    block_id = block.get("block_id", f"b{index}")
    buttons: list[Button] = []
    separator = "  "
    for element in block.get("elements", []):
        if element.get("type") == "button":
            buttons.append(_button(element, block_id))
        elif element.get("type") == "checkboxes":
            buttons += _checkboxes(element, block_id)
            separator = "\n"
    return buttons, separator


def _text_lines(block: Block, names: Mapping[str, str]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = block["text"]["text"]
        return [title, "=" * len(title)]
    if kind == "section":
        texts = [block.get("text", {}), *block.get("fields", [])]
        return [_text(t, names) for t in texts if t]
    if kind == "context":
        return ["  " + "  ".join(_text(e, names) for e in block["elements"])]
    if kind == "divider":
        return ["-" * 40]
    return []


def render_blocks(blocks: list[Block], names: Mapping[str, str], *, first_number: int = 1) -> Rendered:
    """Readable text of a message or view; controls become numbered choices starting at `first_number`."""
    lines: list[str] = []
    buttons: list[Button] = []
    for index, block in enumerate(blocks):
        if block.get("type") != "actions":
            lines += _text_lines(block, names)
            continue
        found, separator = _actions(block, index)
        numbered = [f"[{first_number + len(buttons) + n}] {b.label}" for n, b in enumerate(found)]
        buttons += found
        if numbered:
            lines.append(separator.join(numbered))
    return Rendered("\n".join(lines), buttons)
