"""The month-end checklist in Slack for the Week 6 team: drawn from each runbook, reminded every
business day in its thread until all is ticked, said once when it is, and still posted, with a
warning, when a runbook cannot be read."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.store import checklists
from tests.jobs.conftest import Clock, RitualsFor, Sessions
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.fakeslack import FakeSlack

NY = ZoneInfo("America/New_York")
# November 2026's closing week: Monday 23 (the checklists), then 24, 25 and 27 (Thanksgiving is off).
FIRST_DAY = datetime(2026, 11, 23, 9, 0, 30, tzinfo=NY)
SECOND_DAY = datetime(2026, 11, 24, 9, 0, 30, tzinfo=NY)
THIRD_DAY = datetime(2026, 11, 25, 9, 0, 30, tzinfo=NY)


def messages(fake: FakeSlack, text: str) -> list[dict]:  # type: ignore[type-arg]
    return [p.args for p in fake.of("chat.postMessage") if p.args["text"] == text]


async def tick_all(sessions: Sessions, pipeline: str) -> None:
    async with sessions() as session:
        for entry in await checklists.entries(session, period="2026-11", pipeline=pipeline):
            await checklists.set_ticked(
                session,
                period="2026-11",
                pipeline=pipeline,
                position=entry.position,
                person="alice",
                at=FIRST_DAY,
            )
        await session.commit()


async def test_all_ticked_is_said_once_and_then_the_reminders_stop(
    rituals_for: RitualsFor, team: Sessions, fake_slack: FakeSlack
) -> None:
    clock = Clock(FIRST_DAY)
    rituals = rituals_for(clock)
    await rituals.run_due()
    assert messages(fake_slack, "Still open: Profit Pipeline") == []  # the checklist itself is enough
    await tick_all(team, "profit")
    for day in (SECOND_DAY, THIRD_DAY):
        clock.now = day
        await rituals.run_due()
    [done] = messages(fake_slack, "All done: Profit Pipeline")
    assert "thread_ts" in done
    assert "Everything on the Profit Pipeline checklist is done." in text_of(done)
    assert messages(fake_slack, "Still open: Profit Pipeline") == []
    # The others, still open, are reminded on both days, to their owners.
    growth = messages(fake_slack, "Still open: Growth Pipeline")
    assert len(growth) == 2
    said = text_of(growth[0])
    assert "<@U0BOB0001> <@U0CAROL01> still open on *Growth Pipeline*" in said
    assert "• No account counted both as churned and as new (duplicates checked)" in said


async def test_a_runbook_without_items_gets_no_boxes_and_no_reminders(
    rituals_for: RitualsFor, fake_slack: FakeSlack, runbooks: Path
) -> None:
    (runbooks / "profit.md").write_text(
        "---\nkey: profit\ntitle: Profit Pipeline\n---\n## Description\nMonthly profit.\n", encoding="utf-8"
    )
    clock = Clock(FIRST_DAY)
    rituals = rituals_for(clock)
    await rituals.run_due()
    [checklist] = messages(fake_slack, "Month-end checklist: Profit Pipeline")
    assert_valid_blocks(checklist["blocks"])
    assert "No checklist items in the runbook." in text_of(checklist)
    assert all(b["type"] != "actions" for b in checklist["blocks"])
    clock.now = SECOND_DAY
    await rituals.run_due()
    said = [p.args["text"] for p in fake_slack.of("chat.postMessage") if "Profit" in p.args["text"]]
    assert said == ["Month-end checklist: Profit Pipeline"]


async def test_an_unreadable_runbook_is_said_once_and_its_checklist_follows_the_fix(
    rituals_for: RitualsFor, fake_slack: FakeSlack, runbooks: Path
) -> None:
    text = (runbooks / "profit.md").read_text(encoding="utf-8")
    (runbooks / "profit.md").unlink()
    clock = Clock(FIRST_DAY)
    rituals = rituals_for(clock)
    await rituals.run_due()
    clock.now += timedelta(minutes=1)
    await rituals.run_due()
    [warning] = messages(fake_slack, "Runbook unreadable: Profit Pipeline")
    assert_valid_blocks(warning["blocks"])
    said = text_of(warning)
    assert ":warning: The runbook could not be read" in said and "profit.md: no such runbook" in said
    assert "<@U0ALICE01> (primary), <@U0BOB0001> (secondary)" in said
    assert messages(fake_slack, "Month-end checklist: Profit Pipeline") == []
    assert len(messages(fake_slack, "Month-end checklist: Growth Pipeline")) == 1  # the others go on
    (runbooks / "profit.md").write_text(text, encoding="utf-8")
    clock.now += timedelta(minutes=1)
    await rituals.run_due()
    [checklist] = messages(fake_slack, "Month-end checklist: Profit Pipeline")
    assert_valid_blocks(checklist["blocks"])
    assert "Financial records completeness is above 99.5%" in text_of(checklist)
    assert len(messages(fake_slack, "Runbook unreadable: Profit Pipeline")) == 1
