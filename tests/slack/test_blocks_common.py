"""The Block Kit primitives: hostile text stays text, and nothing exceeds Slack's limits."""

from __future__ import annotations

import pytest

from bot.messages.common import actions, button, context, escape, header, section, split_text
from tests.slack.blocks_check import assert_valid_blocks


@pytest.mark.parametrize(
    ("hostile", "must_not_contain"),
    [
        ("<!channel>", "<!channel>"),
        ("<!here|here>", "<!here"),
        ("<!everyone>", "<!everyone"),
        ("hey @channel wake up", "@channel"),
        ("@Here", "@Here"),
        ("<@U0ALICE01>", "<@"),
        ("<https://evil.example|click>", "<https://"),
        ("<!subteam^S123>", "<!subteam"),
    ],
)
def test_escape_neutralises(hostile: str, must_not_contain: str) -> None:
    escaped = escape(hostile)
    assert must_not_contain not in escaped
    assert_valid_blocks([section(escaped)])


def test_escape_keeps_plain_text_readable() -> None:
    assert escape("Kafka lag > 2h & rising") == "Kafka lag &gt; 2h &amp; rising"


def test_limits_are_enforced() -> None:
    long = "x" * 10_000
    blocks = [header(long), section(long), context(*[long] * 20), actions(*[button(long, "a", long)] * 3)]
    assert_valid_blocks(blocks)
    assert len(blocks[0]["text"]["text"]) == 150
    assert len(blocks[3]["elements"][0]["text"]["text"]) == 75


def test_split_text_respects_lines_and_limit() -> None:
    paragraphs = "\n\n".join(f"paragraph {i} " + "word " * 150 for i in range(20))
    pieces = split_text(paragraphs, limit=3000)
    assert all(len(p) <= 3000 for p in pieces) and len(pieces) > 1
    assert "".join(p.replace("\n", "").replace(" ", "") for p in pieces) == paragraphs.replace(
        "\n", ""
    ).replace(" ", "")
    assert split_text("") == [] and split_text("short") == ["short"]
    assert all(len(p) <= 100 for p in split_text("y" * 1000, limit=100))


def test_buttons_in_one_block_get_distinct_action_ids() -> None:
    block = actions(button("A", "runbook.show", "a"), button("B", "runbook.show", "b"))
    ids = [e["action_id"] for e in block["elements"]]
    assert ids == ["runbook.show", "runbook.show#1"]


def test_a_placeholder_in_the_bots_own_text_is_shown_and_slacks_tokens_are_kept() -> None:
    text = section(
        "Usage: `/swap cancel <id>`, ask <@U0ALICE01> in <#C0ONCALL> or read <https://x.example|this>"
    )
    assert text["text"]["text"] == (
        "Usage: `/swap cancel &lt;id&gt;`, ask <@U0ALICE01> in <#C0ONCALL> or read <https://x.example|this>"
    )
