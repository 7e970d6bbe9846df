"""Block Kit as terminal text, for the local shell: mrkdwn rendered, buttons numbered."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

EMOJI = {
    "palm_tree": "🌴",
    "large_green_circle": "🟢",
    "warning": "⚠️",
    "thinking_face": "🤔",
    "calendar": "📅",
    "arrows_counterclockwise": "🔄",
    "hourglass_flowing_sand": "⏳",
    "white_check_mark": "✅",
    "eyes": "👀",
    "rotating_light": "🚨",
    "link": "🔗",
}


@dataclass
class Button:
    label: str
    action_id: str
    value: str
    block_id: str


@dataclass
class Rendered:
    text: str
    buttons: list[Button] = field(default_factory=list)


def mrkdwn_to_text(text: str, names: Mapping[str, str]) -> str:
    text = re.sub(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", lambda m: "@" + names.get(m[1], m[1]), text)
    text = re.sub(r"<!date\^\d+\^[^|>]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>", lambda m: "@" + (m[2] or m[1]), text)
    text = re.sub(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>", lambda m: "#" + (m[2] or m[1]), text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)
    text = re.sub(r":([a-z_]+):", lambda m: EMOJI.get(m[1], m[0]), text)
    return html.unescape(text)


def render_blocks(
    blocks: list[dict[str, Any]], names: Mapping[str, str], *, first_number: int = 1
) -> Rendered:
    """Readable text of a message or view; buttons become numbered choices starting at `first_number`."""
    lines: list[str] = []
    buttons: list[Button] = []
    for index, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += [title, "=" * len(title)]
        elif kind == "section":
            lines.append(mrkdwn_to_text(block.get("text", {}).get("text", ""), names))
            lines += [mrkdwn_to_text(f.get("text", ""), names) for f in block.get("fields", [])]
        elif kind == "context":
            lines.append(
                "  " + "  ".join(mrkdwn_to_text(e.get("text", ""), names) for e in block["elements"])
            )
        elif kind == "divider":
            lines.append("-" * 40)
        elif kind == "actions":
            choices = []
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    number = first_number + len(buttons)
                    block_id = block.get("block_id", f"b{index}")
                    buttons.append(
                        Button(
                            element["text"]["text"], element["action_id"], element.get("value", ""), block_id
                        )
                    )
                    choices.append(f"[{number}] {element['text']['text']}")
            lines.append("  ".join(choices))
    return Rendered("\n".join(lines), buttons)
