"""Every message and view is checked against Slack's own block models and limits."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import Block

LIMITS = {"message": 50, "home": 100, "modal": 100}
BROADCAST = re.compile(r"<!(channel|here|everyone)[|>]|(?<![\w\u2060])@(channel|here|everyone)\b")
# What Slack reads between < and > in mrkdwn; anything else there (a bare `<id>`) it swallows.
CONTROL = re.compile(r"<([^<>]*)>")
OPEN = re.compile(r"<|(?<!^)(?<!\n)>")  # what is left of a cut token; a `>` opening a line quotes it
TOKEN = re.compile(
    r"[@#][UWCGD][A-Z0-9]+(\|[^<>]*)?|!(subteam\^[A-Z0-9]+|date\^[^<>]+)(\|[^<>]*)?|(https?://|mailto:)[^<>]+"
)


def assert_valid_text(text: str) -> None:
    """A message's top-level `text` (what a notification and a screen reader show) is mrkdwn too:
    every `<` opens one of Slack's own tokens and is closed, no broadcast mention."""
    assert not BROADCAST.search(text), f"a broadcast mention slipped through: {text!r}"
    stray = [m[0] for m in CONTROL.finditer(text) if not TOKEN.fullmatch(m[1])]
    assert not stray, f"unescaped < or > Slack would swallow: {stray} in {text!r}"
    assert not OPEN.search(CONTROL.sub("", text)), f"a token cut open: {text!r}"


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text in a piece of Block Kit."""
    if isinstance(node, list):
        return [t for item in node for t in mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str) else []
    return own + [t for value in node.values() for t in mrkdwn_texts(value)]


def assert_valid_blocks(blocks: list[dict[str, Any]], *, surface: str = "message") -> None:
    assert 0 < len(blocks) <= LIMITS[surface], f"{len(blocks)} blocks for a {surface}"
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()
        text = (raw.get("text") or {}).get("text", "")
        assert len(text) <= (150 if raw["type"] == "header" else 3000)
        for element in raw.get("elements", []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75
        ids = [e["action_id"] for e in raw.get("elements", []) if "action_id" in e]
        assert len(ids) == len(set(ids)), "action_id repeated within a block"
    flat = str(blocks)
    assert not BROADCAST.search(flat), "a broadcast mention slipped through"
    for text in mrkdwn_texts(blocks):
        stray = [m[0] for m in CONTROL.finditer(text) if not TOKEN.fullmatch(m[1])]
        assert not stray, f"unescaped < or > Slack would swallow: {stray}"


def text_of(message: Any) -> str:
    """What a person reads in a message (an answer with blocks, or the blocks): each text, field,
    button label and option, in order, a line each."""
    node = message.get("blocks", message) if isinstance(message, dict) else message
    return "\n".join(_shown(node))


def _shown(node: Any) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in _shown(item)]
    if not isinstance(node, dict):
        return []
    if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
        return [node["text"]]
    return [
        t
        for key, value in node.items()
        if key not in ("value", "action_id", "block_id")
        for t in _shown(value)
    ]
