"""The rituals on a clock: on time across DST, once per handoff, caught up after a restart."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.jobs.scheduler import Rituals, handoff_trigger
from bot.schedule.model import Rotation
from bot.services.oncall import TeamViews
from bot.services.teamfile import import_team
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.context import AppContext
from bot.store.schedule import add_absence
from bot.teamfile.loader import load_team_file
from bot.teamfile.schema import Person, TeamFile
from tests.slack.fakeslack import WEEK5_USERS, FakeSlack

NY = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]
Sessions = async_sessionmaker[AsyncSession]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


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


@pytest.fixture
async def rituals_for(session_maker: Sessions, fake_slack: FakeSlack):  # type: ignore[no-untyped-def]
    async with session_maker() as session:
        await import_team(
            session, team=load_team_file(ROOT / "examples" / "week6-team.yaml"), actor="t", source="cli"
        )
    settings = Settings(_env_file=None, slack_api_url=fake_slack.url)  # type: ignore[call-arg]

    def make(clock: Clock) -> Rituals:
        # Without the one-second reuse of the team, each run sees what the test just wrote.
        ctx = AppContext(settings, session_maker, clock, ROOT / "runbooks", TeamViews(recheck=0))
        return Rituals(ctx, make_client(settings, token="xoxb-test"), grace=timedelta(hours=6))

    return make


async def test_two_schedulers_race_and_post_once(rituals_for, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(datetime(2026, 11, 16, 9, 0, 30, tzinfo=NY))
    await asyncio.gather(rituals_for(clock).run_due(), rituals_for(clock).run_due())
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_restart_inside_the_grace_window_sends_once(rituals_for, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(datetime(2026, 11, 16, 14, tzinfo=NY))  # down since before the 09:00 handoff
    assert await rituals_for(clock).run_due(report_missed=True) == ["sent"]
    assert await rituals_for(clock).run_due(report_missed=True) == ["already sent"]
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_restart_outside_the_grace_window_skips_with_a_log_line(
    rituals_for,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    clock = Clock(datetime(2026, 11, 16, 16, tzinfo=NY))  # seven hours late
    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        assert await rituals_for(clock).run_due(report_missed=True) == []
    assert fake_slack.of("chat.postMessage") == []
    assert any("skipped handoff:data-oncall:2026-11-16" in r.getMessage() for r in caplog.records)


async def test_slack_down_for_a_run_is_retried_on_the_next(rituals_for, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(datetime(2026, 11, 16, 9, 1, tzinfo=NY))
    fake_slack.fail("chat.postMessage", 500, times=3)
    rituals = rituals_for(clock)
    assert (await rituals.run_due())[0].startswith("failed")
    clock.now += timedelta(minutes=1)
    assert await rituals.run_due() == ["sent"]


async def test_jobs_follow_the_store(rituals_for) -> None:  # type: ignore[no-untyped-def]
    rituals = rituals_for(Clock(datetime(2026, 11, 16, 12, tzinfo=NY)))
    await rituals.sync()
    [job] = [j for j in rituals.scheduler.get_jobs() if j.id.startswith("handoff:")]
    assert job.id == "handoff:data-oncall" and "mon" in str(job.trigger)


async def test_a_new_team_file_tells_those_whose_shifts_moved_once(  # type: ignore[no-untyped-def]
    rituals_for, session_maker: Sessions, fake_slack: FakeSlack
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
    assert all("your on-call shifts changed" in str(p.args["blocks"]) for p in dms)
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


async def import_file(sessions: Sessions, team: TeamFile) -> None:
    async with sessions() as session:
        await import_team(session, team=team, actor="t", source="cli")


async def test_start_finds_people_by_email_before_the_first_reminders(  # type: ignore[no-untyped-def]
    rituals_for, session_maker: Sessions, fake_slack: FakeSlack
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


async def test_slack_refusing_lookups_breaks_neither_start_nor_tick(  # type: ignore[no-untyped-def]
    rituals_for, session_maker: Sessions, fake_slack: FakeSlack
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


async def test_an_id_found_by_email_while_replicas_tell_a_new_team_file_tells_each_once(  # type: ignore[no-untyped-def]
    rituals_for, session_maker: Sessions, fake_slack: FakeSlack
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


async def test_an_id_found_by_email_is_no_new_team_file(  # type: ignore[no-untyped-def]
    rituals_for, session_maker: Sessions, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
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
