"""Every message and view is checked against Slack's own block models and limits."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import Block

LIMITS = {"message": 50, "home": 100, "modal": 100}
BROADCAST = re.compile(r"<!(channel|here|everyone)[|>]|(?<![\w\u2060])@(channel|here|everyone)\b")


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
