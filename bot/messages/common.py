"""The Block Kit pieces every message is made of, kept within Slack's limits.

User-supplied text always goes through `escape`, so it can never mention @channel, @here or
@everyone, mention a user or a group, or become a link; text that must show exactly as it was
written (bold markers, backticks and all) goes out as `literal` plain text instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

Block = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
CONTEXT_ELEMENTS = 10
BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
SPECIAL = re.compile(r"<(?=!)")
SLACK_TOKEN = re.compile(r"<([^<>]*)>")  # a mention, link or special word in Slack's encoding
ENTITY = re.compile(r"&(amp|lt|gt);")
# A placeholder in the bot's own usage text (`/swap cancel <id>`); Slack's tokens start with @ # ! or
# a URL scheme, so a bare word between < and > is never one, and Slack would swallow it.
PLACEHOLDER = re.compile(r"<([A-Za-z][\w -]*)>")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def escape(text: str) -> str:
    """Text shown as it was typed: no control sequences, no broadcast mentions."""
    return _inert(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def as_typed(text: str, names: Mapping[str, str]) -> str:
    """What a person typed, from the text Slack sends of a message or a command: entities decoded,
    `<@U1>` as @name (`names` maps Slack user ids to names), `<!here>` as @here, `<url|label>` as
    label (url). Only Slack encodes `<` and `>`, so every token found is one of its own."""
    typed = SLACK_TOKEN.sub(lambda m: _typed_token(m[1], names), text)
    return ENTITY.sub(lambda m: ENTITIES[m[1]], typed)


def _typed_token(token: str, names: Mapping[str, str]) -> str:
    target, _, label = token.partition("|")
    kind, rest = target[:1], target[1:]
    if kind == "@":
        return "@" + (names.get(rest) or label or rest)
    if kind == "#":
        return "#" + (label or rest)
    if kind == "!":
        if rest.startswith("subteam^"):
            return label or "@" + rest.removeprefix("subteam^")
        return label if rest.startswith("date^") else "@" + rest  # here, channel, everyone
    address = target.removeprefix("mailto:")
    return f"{label} ({address})" if label and label != address else address


def _inert(text: str) -> str:
    # A zero-width joiner keeps "@here" readable but stops clients from treating it as a mention.
    return BROADCAST.sub(lambda m: "@\u2060" + m[1], text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mention(slack_id: str) -> str:
    return f"<@{slack_id}>"


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def literal(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    """Text shown exactly as written: plain_text is never formatted, linked or parsed for mentions.

    Broadcasts (`@here`, `<!here>`) still get an invisible joiner, so that a copy of the text pasted
    into a message, or read by the checks every message gets, stays inert too.
    """
    return plain(_inert(SPECIAL.sub("<\u2060", text)) or " ", limit)


def mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(PLACEHOLDER.sub(r"&lt;\1&gt;", text), limit)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text or " ")}


def literal_section(text: str) -> Block:
    return {"type": "section", "text": literal(text)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t or " ") for t in texts[:CONTEXT_ELEMENTS]]}


def context_of(*elements: dict[str, Any]) -> Block:
    """A context line of text objects, e.g. mrkdwn for what the bot says, `literal` for what people wrote."""
    return {"type": "context", "elements": list(elements[:CONTEXT_ELEMENTS])}


def written_line(said: str, text: str | None, *after: str) -> Block:
    """A context line: what the bot says (mrkdwn), then what a person wrote, shown as written."""
    return context_of(mrkdwn(said), *([literal(text)] if text else []), *(mrkdwn(a) for a in after))


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_LIMIT),
        "action_id": str(action_id),
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any]) -> Block:
    # Slack wants each action_id unique within a block; the value tells same-kind buttons apart.
    unique = []
    for i, element in enumerate(elements[:25]):
        unique.append({**element, "action_id": f"{element['action_id']}#{i}"} if i else element)
    return {"type": "actions", "elements": unique}


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Text cut into pieces of at most `limit`, at paragraph, then line, then word boundaries."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        cut = cut if cut > limit // 2 else window.rfind(" ")
        cut = cut if cut > 0 else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
