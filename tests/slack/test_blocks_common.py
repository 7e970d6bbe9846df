"""The Block Kit primitives: hostile text stays text, and nothing exceeds Slack's limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages.common import (
    NOTIFICATION_LIMIT,
    actions,
    button,
    context,
    escape,
    header,
    literal_section,
    notification_text,
    section,
    split_text,
    truncate,
)
from bot.slack.reply import Reply
from tests.slack.blocks_check import assert_valid_blocks, assert_valid_text

DATE = "<!date^1796792400^{date_short_pretty} {time}|Wed 09 Dec 00:00 EST>"
# Words, Slack's own tokens and escaped text, as the bot's messages mix them.
PIECES = st.sampled_from(
    [DATE, "<@U0ALICE01>", "<https://example.com/x|the runbook>", "&lt;b&gt;", "a & b", "→"]
)
MESSAGES = st.lists(st.one_of(PIECES, st.text("abc :*_\n", max_size=12)), max_size=40).map("".join)


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


@given(MESSAGES, st.integers(min_value=2, max_value=400))
def test_cutting_text_never_splits_a_token_or_an_entity(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    assert len(cut) <= limit and (cut == text or cut.endswith("…"))
    assert_valid_text(cut)


@given(MESSAGES)
def test_text_split_into_sections_keeps_every_token_whole(text: str) -> None:
    for piece in split_text(text, 100):
        assert len(piece) <= 100
        assert_valid_text(piece)


def test_a_long_message_notifies_with_its_first_words_and_no_cut_token() -> None:
    long = "Away " + " → ".join([DATE] * 20)
    text = Reply([section(long)]).text
    assert len(text) <= NOTIFICATION_LIMIT and text.endswith("…") and text.startswith("Away " + DATE)
    assert_valid_text(text)


def test_a_notification_is_escaped_like_its_blocks() -> None:
    usage = "Usage: `/swap cancel <id>`, the number `/swap list` shows."
    assert notification_text(usage) == section(usage)["text"]["text"]
    assert "&lt;id&gt;" in notification_text(usage)
    # Shown as written in the blocks (plain text), escaped in the notification (mrkdwn).
    assert Reply([literal_section("<b>bold</b> & @here")]).text == escape("<b>bold</b> & @here")
