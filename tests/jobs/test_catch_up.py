"""Start-up after the bot was down: a post whose time passed within the grace window (6 hours) is
sent once, an older one is skipped with a log line, whatever its kind; and a month-end checklist
missed on the first day of its week is posted on the next business day of it, and only called
skipped once its week is over."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.store import ledger
from tests.jobs.conftest import Clock, RitualsFor
from tests.slack.blocks_check import text_of
from tests.slack.fakeslack import FakeSlack

NY = ZoneInfo("America/New_York")
GRACE = timedelta(hours=6)

# Each kind of post, when it was due, and how it shows in Slack: (channel, text, what it says).
MISSED = {
    "reminder": (
        datetime(2026, 11, 20, 9, tzinfo=NY),  # the Friday before Carol's week of the 23rd
        "reminder:data-oncall:2026-11-23:primary:carol",
        ("U0CAROL01", "You are on call for data-oncall soon", "you are *primary* on call"),
    ),
    "holiday notice": (
        datetime(2026, 11, 25, 9, tzinfo=NY),  # the day before Thanksgiving, which David covers
        "holiday:data-oncall:2026-11-26",
        ("#data-oncall", "Tomorrow: Thanksgiving Day", "<@U0DAVID01> covers *data-oncall*"),
    ),
    "checklist": (
        datetime(2026, 11, 23, 9, tzinfo=NY),  # the first business day of November's closing week
        "month-end:profit:2026-11",
        ("#data-oncall", "Month-end checklist: Profit Pipeline", "Owners: <@U0ALICE01> (primary)"),
    ),
}


def posted(fake: FakeSlack, channel: str, text: str) -> list[str]:
    return [
        text_of(p.args)
        for p in fake.of("chat.postMessage")
        if p.args["channel"] == channel and p.args["text"] == text
    ]


def skipped_checklists(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped month-end:")]


@pytest.mark.parametrize("kind", MISSED)
async def test_a_restart_inside_the_grace_window_sends_the_post_once(
    rituals_for: RitualsFor, fake_slack: FakeSlack, kind: str
) -> None:
    due, _, (channel, text, says) = MISSED[kind]
    clock = Clock(due + GRACE - timedelta(minutes=1))
    await rituals_for(clock).run_due(report_missed=True)
    await rituals_for(clock).run_due(report_missed=True)  # restarted again: nothing twice
    [blocks] = posted(fake_slack, channel, text)
    assert says in blocks


@pytest.mark.parametrize("kind", [kind for kind in MISSED if kind != "checklist"])
async def test_a_restart_outside_the_grace_window_skips_the_post_with_a_log_line(
    rituals_for: RitualsFor, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    due, key, (channel, text, _) = MISSED[kind]
    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        await rituals_for(Clock(due + GRACE + timedelta(minutes=1))).run_due(report_missed=True)
    assert posted(fake_slack, channel, text) == []
    skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith(f"skipped {key}:")]
    assert skipped == [
        f"skipped {key}: due {due.astimezone(ZoneInfo('UTC')).isoformat()}, past the grace window"
    ]


async def test_a_checklist_missed_on_the_first_day_comes_the_next_business_day(
    rituals_for: RitualsFor, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    # Down from before 09:00 on Monday 23 November until past the grace window: not skipped, since
    # the week's next business day still posts it.
    clock = Clock(datetime(2026, 11, 23, 16, tzinfo=NY))
    rituals = rituals_for(clock)
    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        await rituals.run_due(report_missed=True)
    assert posted(fake_slack, "#data-oncall", "Month-end checklist: Profit Pipeline") == []
    assert skipped_checklists(caplog) == []
    clock.now = datetime(2026, 11, 24, 9, 0, 30, tzinfo=NY)
    await rituals.run_due()
    [checklist] = posted(fake_slack, "#data-oncall", "Month-end checklist: Profit Pipeline")
    assert "Revenue and expense records complete for the month" in checklist
    # The checklist says what is open that day; its thread hears it from the next business day on.
    clock.now += timedelta(minutes=1)
    await rituals.run_due()
    assert len(posted(fake_slack, "#data-oncall", "Month-end checklist: Profit Pipeline")) == 1
    assert [p for p in fake_slack.of("chat.postMessage") if p.args["text"].startswith("Still open")] == []
    clock.now = datetime(2026, 11, 25, 9, 0, 30, tzinfo=NY)
    await rituals.run_due()
    [nudge] = [
        p for p in fake_slack.of("chat.postMessage") if p.args["text"] == "Still open: Profit Pipeline"
    ]
    async with rituals.ctx.sessions() as session:
        assert await ledger.posted(session, "month-end:profit:2026-11") == (
            "#data-oncall",
            nudge.args["thread_ts"],
        )
    said = text_of(nudge.args)
    assert "<@U0ALICE01> <@U0BOB0001> still open on *Profit Pipeline*" in said
    assert "• Totals reconciled with accounting (Finance confirmed)" in said


async def test_a_checklist_is_named_skipped_once_its_whole_week_is_past(
    rituals_for: RitualsFor, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    # Down through November's closing week, until past the grace window of its last day (the 30th).
    clock = Clock(datetime(2026, 11, 30, 9, tzinfo=NY) + GRACE + timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        await rituals_for(clock).run_due(report_missed=True)
    assert posted(fake_slack, "#data-oncall", "Month-end checklist: Profit Pipeline") == []
    first_day = datetime(2026, 11, 23, 9, tzinfo=NY).astimezone(ZoneInfo("UTC"))
    skipped = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped month-end:profit")
    ]
    assert skipped == [
        f"skipped month-end:profit:2026-11: due {first_day.isoformat()}, past the grace window"
    ]
