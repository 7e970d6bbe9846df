"""The rituals on a clock: on time across DST, once per post on any number of replicas, each part
on its own, incidents escalated every minute, jobs rebuilt from the store."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.memory import MemoryJobStore

from bot.core.schedule.model import Rotation
from bot.core.team import Person, TeamFile
from bot.features.incidents import service as incidents
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.jobs.scheduler import handoff_trigger
from bot.store.db import create_engine, session_factory
from bot.store.health import HEALTH
from bot.store.schedule import add_absence
from tests.incidents.fixtures import KAFKA_DOWN
from tests.jobs.conftest import ROOT, WEEK6, Clock, RitualsFor, Sessions
from tests.jobs.simulation import simulate
from tests.slack.blocks_check import text_of
from tests.slack.fakeslack import WEEK5_USERS, FakeSlack

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("zone", "after", "expected"),
    [
        (
            "America/New_York",
            datetime(2026, 3, 3, tzinfo=UTC),
            [datetime(2026, 3, 9, 9), datetime(2026, 3, 16, 9)],
        ),
        (
            "America/New_York",
            datetime(2026, 10, 27, tzinfo=UTC),
            [datetime(2026, 11, 2, 9), datetime(2026, 11, 9, 9)],
        ),
        (
            "Europe/London",
            datetime(2026, 3, 24, tzinfo=UTC),
            [datetime(2026, 3, 30, 9), datetime(2026, 4, 6, 9)],
        ),
        (
            "Europe/London",
            datetime(2026, 10, 20, tzinfo=UTC),
            [datetime(2026, 10, 26, 9), datetime(2026, 11, 2, 9)],
        ),
    ],
)
def test_triggers_keep_the_wall_time_across_dst(zone: str, after: datetime, expected: list[datetime]) -> None:
    trigger = handoff_trigger(Rotation("r", ("a", "b"), zone, date(2026, 1, 5), handoff_time=time(9)))
    fires, previous = [], None
    now = after
    for _ in expected:
        previous = trigger.get_next_fire_time(previous, now)
        fires.append(previous)
        now = previous + timedelta(seconds=1)
    assert [f.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for f in fires] == expected


async def import_file(sessions: Sessions, team: TeamFile) -> None:
    async with sessions() as session:
        await import_team(session, team=team, actor="t", source="cli")


async def test_two_processes_on_one_store_race_and_post_each_once(
    rituals_for: RitualsFor, store_url: str, fake_slack: FakeSlack
) -> None:
    # The first day of November's month-end week: the handoff and four checklists, whose boxes
    # both processes create at the same moment.
    clock = Clock(datetime(2026, 11, 23, 9, 0, 30, tzinfo=NY))
    engines = [create_engine(store_url), create_engine(store_url)]
    try:
        replicas = [rituals_for(clock, session_factory(engine)) for engine in engines]
        outcomes = await asyncio.gather(*(r.run_due() for r in replicas for _ in range(2)))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sorted(o for run in outcomes for o in run) == ["already sent"] * 15 + ["sent"] * 5
    texts = sorted(p.args["text"] for p in fake_slack.of("chat.postMessage"))
    assert texts == [
        "Handoff: data-oncall",
        "Month-end checklist: Aggregated Data Pipeline",
        "Month-end checklist: Engagement Pipeline",
        "Month-end checklist: Growth Pipeline",
        "Month-end checklist: Profit Pipeline",
    ]


async def test_restart_inside_the_grace_window_sends_once(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    clock = Clock(datetime(2026, 11, 16, 14, tzinfo=NY))  # down since before the 09:00 handoff
    assert await rituals_for(clock).run_due(report_missed=True) == ["sent"]
    assert await rituals_for(clock).run_due(report_missed=True) == ["already sent"]
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_restart_outside_the_grace_window_skips_with_a_log_line(
    rituals_for: RitualsFor, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(datetime(2026, 11, 16, 16, tzinfo=NY))  # seven hours late
    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        assert await rituals_for(clock).run_due(report_missed=True) == []
    assert fake_slack.of("chat.postMessage") == []
    assert any("skipped handoff:data-oncall:2026-11-16" in r.getMessage() for r in caplog.records)


async def test_slack_down_for_a_run_is_retried_on_the_next(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    clock = Clock(datetime(2026, 11, 16, 9, 1, tzinfo=NY))
    fake_slack.fail("chat.postMessage", 500, times=3)
    rituals = rituals_for(clock)
    assert (await rituals.run_due())[0].startswith("failed")
    clock.now += timedelta(minutes=1)
    assert await rituals.run_due() == ["sent"]


async def test_jobs_follow_the_store_and_live_in_memory_only(rituals_for: RitualsFor, team: Sessions) -> None:
    rituals = rituals_for(Clock(datetime(2026, 11, 16, 12, tzinfo=NY)))
    await rituals.sync()
    [job] = [j for j in rituals.scheduler.get_jobs() if j.id.startswith("handoff:")]
    assert job.id == "handoff:data-oncall" and "mon" in str(job.trigger) and "hour='9'" in str(job.trigger)
    [rotation] = WEEK6.rotations
    later = rotation.model_copy(update={"handoff": rotation.handoff.model_copy(update={"time": time(10)})})
    london = rotation.model_copy(update={"name": "london", "timezone": "Europe/London"})
    await import_file(team, WEEK6.model_copy(update={"rotations": [later, london]}))
    await rituals.sync()
    triggers = {j.id: j.trigger for j in rituals.scheduler.get_jobs()}
    assert "hour='10'" in str(triggers["handoff:data-oncall"])
    assert (
        "hour='9'" in str(triggers["handoff:london"])
        and str(triggers["handoff:london"].timezone) == "Europe/London"
    )
    # Nothing pickled: the only job store is the in-memory one.
    stores = rituals.scheduler._jobstores
    assert list(stores) == ["default"] and type(stores["default"]) is MemoryJobStore


async def test_london_handoffs_stay_at_nine_across_both_clock_changes(
    rituals_for: RitualsFor, team: Sessions, fake_slack: FakeSlack
) -> None:
    [rotation] = WEEK6.rotations
    london = rotation.model_copy(update={"timezone": "Europe/London"})
    await import_file(team, WEEK6.model_copy(update={"rotations": [london]}))
    handoffs = []
    # The UK's clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October.
    for start in (datetime(2026, 3, 16, tzinfo=LONDON), datetime(2026, 10, 12, tzinfo=LONDON)):
        clock = Clock(start)
        rituals = rituals_for(clock)
        await rituals.sync()
        sent = await simulate([rituals], clock, fake_slack, until=start + timedelta(weeks=3), tick=None)
        handoffs += [p.at for p in sent if p.text == "Handoff: data-oncall"]
    mondays = [(3, 16), (3, 23), (3, 30), (10, 12), (10, 19), (10, 26)]
    assert [h.astimezone(LONDON).replace(tzinfo=None) for h in handoffs] == [
        datetime(2026, month, day, 9) for month, day in mondays
    ]
    assert [h.astimezone(UTC).hour for h in handoffs] == [9, 9, 8, 8, 8, 9]


async def test_a_part_that_fails_leaves_the_others_to_run(
    rituals_for: RitualsFor,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("reminders are broken")

    monkeypatch.setattr("bot.delivery.scheduled.reminder_posts", broken)
    rituals = rituals_for(Clock(datetime(2026, 11, 23, 9, 0, 30, tzinfo=NY)))
    with caplog.at_level(logging.ERROR, logger="bot.jobs.scheduler"):
        assert await rituals.run_due() == ["sent"] * 5  # the handoff and four checklists
    [failure] = [r for r in caplog.records if r.name == "bot.jobs.scheduler"]
    assert failure.getMessage() == "reminders failed; the other rituals go on"
    assert failure.exc_info is not None and "reminders are broken" in str(failure.exc_info[1])


async def declare_sev1(sessions: Sessions, at: datetime) -> None:
    async with sessions() as session:
        await incidents.declare(session, key="t-1", declaration=KAFKA_DOWN, at=at)


def escalations(fake: FakeSlack) -> list[str]:
    return [
        p.args["text"]
        for p in fake.of("chat.postMessage")
        if "thread_ts" in p.args and "Escalated to level 1" in p.args["text"]
    ]


async def test_the_tick_escalates_a_due_incident_even_when_the_posts_fail(
    rituals_for: RitualsFor, team: Sessions, fake_slack: FakeSlack, runbooks: Path
) -> None:
    # 09:00 on the first day of the month-end week, with a runbook gone: its checklist cannot be
    # drawn, and the rest still happens, the incident's escalation among it.
    declared_at = datetime(2026, 11, 23, 8, 56, tzinfo=NY)
    await declare_sev1(team, declared_at)
    (runbooks / "profit.md").unlink()
    clock = Clock(declared_at + timedelta(minutes=4, seconds=59))
    rituals = rituals_for(clock)
    await rituals.tick()
    assert escalations(fake_slack) == []
    clock.now = declared_at + timedelta(minutes=5)
    await rituals.tick()
    [escalation] = escalations(fake_slack)
    assert "automatically: sev1 not acknowledged within 5 minutes" in escalation
    texts = [p.args["text"] for p in fake_slack.of("chat.postMessage")]
    assert "Handoff: data-oncall" in texts and "Month-end checklist: Growth Pipeline" in texts
    assert "Runbook unreadable: Profit Pipeline" in texts


async def test_start_escalates_at_once_what_fell_due_while_down(
    rituals_for: RitualsFor, team: Sessions, fake_slack: FakeSlack
) -> None:
    declared_at = datetime(2026, 12, 8, 12, tzinfo=NY)
    await declare_sev1(team, declared_at)
    rituals = rituals_for(Clock(declared_at + timedelta(minutes=20)))
    await rituals.start()
    rituals.shutdown()
    [escalation] = escalations(fake_slack)
    # The time it really went unacknowledged, not the threshold it passed while the bot was down.
    assert "sev1 not acknowledged 20 minutes after it was declared (the limit is 5 minutes)" in escalation


async def test_the_sweeps_run_on_the_wall_clock_minute_whenever_the_bot_started(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    rituals = rituals_for(Clock(datetime(2026, 12, 8, 12, tzinfo=NY)))
    before = datetime.now(UTC)
    await rituals.start()
    try:
        upcoming = rituals.scheduler.get_job("tick").next_run_time
        # A restart a second before the minute still sweeps on it, not a minute after the restart.
        assert (upcoming.second, upcoming.microsecond) == (0, 0)
        assert before < upcoming <= datetime.now(UTC) + timedelta(minutes=1)
    finally:
        rituals.shutdown()


async def test_a_refused_post_is_logged_once_and_tried_again_every_quarter_hour(
    rituals_for: RitualsFor, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.refusals["chat.postMessage"] = "not_in_channel"
    handoff = datetime(2026, 12, 7, 9, tzinfo=NY)
    clock = Clock(handoff)
    rituals = rituals_for(clock)
    with caplog.at_level(logging.INFO, logger="bot.features.handoff.handoff"):
        assert await rituals.run_due() == ["failed: not_in_channel"]
        for minutes in range(1, 15):
            clock.now = handoff + timedelta(minutes=minutes)
            [outcome] = await rituals.run_due()
            assert outcome == "held: Slack refused it; next try at 14:15 UTC"
        assert len(fake_slack.of("chat.postMessage")) == 1
        clock.now = handoff + timedelta(minutes=15)
        assert await rituals.run_due() == ["failed: not_in_channel"]
        assert len(fake_slack.of("chat.postMessage")) == 2
        del fake_slack.refusals["chat.postMessage"]  # someone invited the bot
        clock.now = handoff + timedelta(minutes=30)
        assert await rituals.run_due() == ["sent"]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        "handoff:data-oncall:2026-12-07 to #data-oncall refused by Slack: not_in_channel; "
        "invite the bot to #data-oncall (/invite @oncall-bot)"
    ]
    assert len(fake_slack.of("chat.postMessage")) == 3


async def test_a_new_team_file_tells_those_whose_shifts_moved_once(
    rituals_for: RitualsFor, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    clock = Clock(datetime(2026, 12, 9, 12, tzinfo=NY))
    replicas = [rituals_for(clock), rituals_for(clock)]
    for rituals in replicas:
        assert await rituals.tell_roster_changes() == []  # the first look only remembers the team
    team = load_team_file(ROOT / "examples" / "week6-team.yaml")
    [rotation] = team.rotations
    later_handoff = rotation.model_copy(
        update={"handoff": rotation.handoff.model_copy(update={"time": time(10)})}
    )
    async with session_maker() as session:
        await import_team(
            session, team=team.model_copy(update={"rotations": [later_handoff]}), actor="t", source="cli"
        )
        await add_absence(
            session,
            person="bob",
            start=datetime(2027, 1, 4, tzinfo=NY),
            end=datetime(2027, 1, 6, tzinfo=NY),
            reason="vacation",
            actor="bob",
            source="slack",
            at=clock.now,
        )
        await session.commit()
    outcomes = await asyncio.gather(*(r.tell_roster_changes() for r in replicas))
    assert sorted(o for replica in outcomes for o in replica) == ["already sent"] * 4 + ["sent"] * 4
    dms = fake_slack.of("chat.postMessage")
    assert sorted(p.args["channel"] for p in dms) == ["U0ALICE01", "U0BOB0001", "U0CAROL01", "U0DAVID01"]
    assert all("your on-call shifts changed" in text_of(p.args) for p in dms)
    async with session_maker() as session:  # an absence is told by its own messages, not as a new team
        await add_absence(
            session,
            person="carol",
            start=datetime(2027, 1, 11, tzinfo=NY),
            end=datetime(2027, 1, 12, tzinfo=NY),
            reason="",
            actor="carol",
            source="slack",
            at=clock.now,
        )
        await session.commit()
    assert await replicas[0].tell_roster_changes() == []
    assert len(fake_slack.of("chat.postMessage")) == 4


WEEK5 = load_team_file(ROOT / "examples" / "week5-team.yaml")  # every person by email only


async def test_start_finds_people_by_email_before_the_first_reminders(
    rituals_for: RitualsFor, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    await import_file(session_maker, WEEK5)
    fake_slack.users_by_email = dict(WEEK5_USERS)
    # The working day before Charlie's and David's week of Monday 14 December, at handoff time.
    rituals = rituals_for(Clock(datetime(2026, 12, 11, 9, 0, 30, tzinfo=NY)))
    await rituals.start()
    rituals.shutdown()
    assert len(fake_slack.of("users.lookupByEmail")) == 4
    assert sorted(p.args["channel"] for p in fake_slack.of("chat.postMessage")) == ["U0CHARLIE", "U0DAVID01"]
    await rituals.tick()
    assert len(fake_slack.of("users.lookupByEmail")) == 4


async def test_slack_refusing_lookups_breaks_neither_start_nor_tick(
    rituals_for: RitualsFor, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    await import_file(session_maker, WEEK5)
    fake_slack.refusals["users.lookupByEmail"] = "missing_scope"
    clock = Clock(datetime(2026, 12, 14, 9, 0, 30, tzinfo=NY))
    rituals = rituals_for(clock)
    await rituals.start()
    try:
        [handoff] = fake_slack.of("chat.postMessage")
        assert handoff.args["channel"] == "#data-oncall"
        del fake_slack.refusals["users.lookupByEmail"]
        fake_slack.fail("users.lookupByEmail", 500, times=3)
        clock.now += timedelta(minutes=1)
        await rituals.tick()
        assert len(fake_slack.of("users.lookupByEmail")) == 1 + 3  # each round stopped at its failure
        assert [j.id for j in rituals.scheduler.get_jobs()] == ["tick", "handoff:data-oncall"]
    finally:
        rituals.shutdown()


async def test_an_id_found_by_email_while_replicas_tell_a_new_team_file_tells_each_once(
    rituals_for: RitualsFor, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    await import_file(session_maker, WEEK5)
    fake_slack.users_by_email = dict(WEEK5_USERS)
    clock = Clock(datetime(2026, 12, 9, 12, tzinfo=NY))
    first, second = rituals_for(clock), rituals_for(clock)
    await first.email_lookups.look_up_missing(now=clock.now)
    for rituals in (first, second):
        assert await rituals.tell_roster_changes() == []  # the first look only remembers the team
    [rotation] = WEEK5.rotations
    later = rotation.model_copy(update={"handoff": rotation.handoff.model_copy(update={"time": time(10)})})
    eve = Person(id="eve", name="Eve", email="eve@example.com")
    await import_file(
        session_maker, WEEK5.model_copy(update={"people": [*WEEK5.people, eve], "rotations": [later]})
    )
    fake_slack.users_by_email["eve@example.com"] = "U0EVE0001"
    assert await second.tell_roster_changes() == ["sent"] * 4  # before anyone found Eve
    await first.email_lookups.look_up_missing(now=clock.now)
    assert await first.tell_roster_changes() == ["already sent"] * 4


async def test_an_id_found_by_email_is_no_new_team_file(
    rituals_for: RitualsFor, session_maker: Sessions, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_file(session_maker, WEEK5)
    fake_slack.users_by_email = dict(WEEK5_USERS)
    clock = Clock(datetime(2026, 12, 9, 12, tzinfo=NY))
    rituals = rituals_for(clock)
    assert await rituals.tell_roster_changes() == []  # the first look only remembers the team

    async def no_roster_posts(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("a Slack id found by email was taken for a new team file")

    monkeypatch.setattr("bot.jobs.scheduler.roster_posts", no_roster_posts)
    await rituals.email_lookups.look_up_missing(now=clock.now)
    assert await rituals.tell_roster_changes() == []
    assert fake_slack.of("chat.postMessage") == []


async def test_a_tick_without_its_database_says_so_once_without_tracebacks(
    rituals_for: RitualsFor, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HEALTH, "answering", True)
    engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    rituals = rituals_for(Clock(datetime(2026, 12, 8, 12, tzinfo=NY)), session_factory(engine))
    with caplog.at_level(logging.INFO):
        await rituals.tick()
        await rituals.tick()
    await engine.dispose()
    assert [r.getMessage().split(":")[0] for r in caplog.records if r.levelno >= logging.WARNING] == [
        "the database is not answering"
    ]
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
