"""A runbook of any length fits Slack: split into sections, cut with a button, or sent in parts."""

from __future__ import annotations

from bot.core.runbooks.parse import Runbook, Section
from bot.core.team import Person, Pipeline
from bot.features.oncall.pipelines import PipelineCard
from bot.messages.pipeline import full_runbook_messages, markdown_to_mrkdwn, pipeline_blocks
from tests.slack.blocks_check import assert_valid_blocks

PEOPLE = {p: Person(id=p, name=p.title(), slack_id=f"U0{p.upper()}1") for p in ("ann", "ben")}
PIPELINE = Pipeline(
    key="big", name="Big Pipeline", area="x", primary="ann", secondary="ben", runbook="big.md"
)


def card(sections: int, words: int) -> PipelineCard:
    body = "\n\n".join(f"- step {i}: " + "check the thing " * words for i in range(5))
    runbook = Runbook("big", "Big", (), tuple(Section(f"Part {i}", body) for i in range(sections)))
    return PipelineCard(PIPELINE, on_call=[], reach={}, runbook=runbook)


def test_a_short_runbook_is_shown_whole() -> None:
    blocks = pipeline_blocks(card(3, 5), PEOPLE, with_runbook=True)
    assert_valid_blocks(blocks)
    assert "Part 2" in str(blocks) and blocks[-1]["type"] == "section"


def test_a_long_runbook_is_cut_and_offered_in_full() -> None:
    big = card(40, 120)
    blocks = pipeline_blocks(big, PEOPLE, with_runbook=True)
    assert_valid_blocks(blocks)
    assert blocks[-1]["type"] == "actions" and blocks[-1]["elements"][0]["value"] == "big"
    messages = full_runbook_messages(big.runbook)  # type: ignore[arg-type]
    assert len(messages) > 1
    for message in messages:
        assert_valid_blocks(message)
    assert "Part 39" in str(messages)


def test_markdown_becomes_mrkdwn_without_mentions() -> None:
    text = markdown_to_mrkdwn("## Title\n**bold** and - item\n- bullet <!channel> @here")
    assert text.startswith("*Title*") and "*bold*" in text and "• bullet" in text
    assert "<!channel>" not in text and "@here" not in text
