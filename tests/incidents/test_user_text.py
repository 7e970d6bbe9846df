"""Text people write, as the incident messages take it in (Slack's encoding undone) and show it."""

from __future__ import annotations

import pytest

from bot.messages.common import as_typed, literal
from tests.slack.blocks_check import assert_valid_blocks

NAMES = {"U0ALICE01": "Alice"}


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("Kafka lag &gt; 3h &amp; rising &lt;sigh&gt;", "Kafka lag > 3h & rising <sigh>"),
        ("&amp;lt; stays as typed", "&lt; stays as typed"),
        ("ask <@U0ALICE01> or <@U0ALICE01|al>", "ask @Alice or @Alice"),
        ("ask <@U0NOBODY1> or <@U0NOBODY2|zed>", "ask @U0NOBODY1 or @zed"),
        ("in <#C0DATA01|data-eng> or <#C0OTHER01>", "in #data-eng or #C0OTHER01"),
        ("<!here> <!channel> <!everyone> <!here|here>", "@here @channel @everyone @here"),
        ("<!subteam^S0INFRA01|@infra> <!subteam^S0INFRA01>", "@infra @S0INFRA01"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<https://x.example/a?b=1&amp;c=2|the board>", "the board (https://x.example/a?b=1&c=2)"),
        (
            "<https://x.example/a> <https://x.example/b|https://x.example/b>",
            "https://x.example/a https://x.example/b",
        ),
        ("<mailto:bob@example.com|bob@example.com>", "bob@example.com"),
        ("*bold* _it_ ~gone~ `code`", "*bold* _it_ ~gone~ `code`"),
    ],
)
def test_slack_encoding_is_undone(sent: str, typed: str) -> None:
    assert as_typed(sent, NAMES) == typed


@pytest.mark.parametrize("text", ["<!channel> hi", "@here now", "*bold* <@U0ALICE01> & <https://x|y>"])
def test_literal_text_is_shown_as_written_and_pings_nobody(text: str) -> None:
    shown = literal(text)
    assert shown["type"] == "plain_text" and shown["text"].replace("\u2060", "") == text
    assert_valid_blocks([{"type": "section", "text": shown}])  # no broadcast slips through


def test_literal_text_is_never_empty_and_kept_within_the_limit() -> None:
    assert literal("")["text"] == " "
    assert len(literal("x" * 5000)["text"]) == 3000
