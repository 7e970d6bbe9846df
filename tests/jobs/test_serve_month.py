"""`serve` over a simulated month: two replicas on one store, each built exactly as `serve` builds
itself, with their scheduler's jobs fired at the times their triggers give on an injected clock.

November 2026 for the Week 6 team: the clocks go back on 1 November, Veterans Day and Thanksgiving
fall in it, and its month-end week holds Thanksgiving.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.jobs.scheduler import Rituals
from bot.services.teamfile import import_team
from bot.settings import Settings
from bot.slack.server import Service, start_service
from bot.teamfile.loader import load_team_file
from tests.slack.fakeslack import FakeSlack

NY = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]
START, END = datetime(2026, 10, 30, tzinfo=NY), datetime(2026, 12, 1, tzinfo=NY)
# The minute tick, run on the hour: a month of real minute ticks would take minutes, and what falls
# due between ticks is sent by the next one anyway (the scheduler's own tests cover that).
TICK = timedelta(hours=1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Sent:
    at: datetime  # the simulated time it went out, New York wall clock
    channel: str
    text: str
    thread: bool


def next_fire(rituals: Rituals, after: datetime) -> tuple[datetime, list[str]] | None:
    """The earliest time one of the replica's handoff jobs fires after `after`, and which do."""
    fires: dict[datetime, list[str]] = {}
    for job in rituals.scheduler.get_jobs():
        if job.id.startswith("handoff:"):
            at = job.trigger.get_next_fire_time(None, after + timedelta(microseconds=1))
            fires.setdefault(at, []).append(job.id)
    return min(fires.items()) if fires else None


async def simulate(replicas: list[Service], clock: Clock, fake: FakeSlack) -> list[Sent]:
    """Step the shared clock from one job's time to the next, firing it on every replica at once."""
    sent: list[Sent] = []
    next_tick = clock.now + TICK
    for _ in range(2_000):  # bounded: a month has about 770 hourly ticks
        if clock.now >= END:
            return sent
        fires = [f for f in (next_fire(r.rituals, clock.now) for r in replicas) if f]
        at, job_ids = min(fires, default=(next_tick, []))
        if at >= next_tick:
            at, job_ids = next_tick, ["tick"]
            next_tick += TICK
        clock.now = at
        seen = len(fake.calls)
        await asyncio.gather(*(_fire(r.rituals, job_id) for r in replicas for job_id in job_ids))
        sent += [
            Sent(at.astimezone(NY), c.args["channel"], c.args["text"], "thread_ts" in c.args)
            for c in fake.calls[seen:]
            if c.method == "chat.postMessage"
        ]
    raise AssertionError("the simulation did not reach the end of the month")


async def _fire(rituals: Rituals, job_id: str) -> None:
    job = rituals.scheduler.get_job(job_id)
    assert job is not None, f"{job_id} is not scheduled"
    await job.func()


@pytest.fixture
async def month(
    session_maker: async_sessionmaker[AsyncSession], fake_slack: FakeSlack, tmp_path: Path
) -> list[Sent]:
    async with session_maker() as session:
        team = load_team_file(ROOT / "examples" / "week6-team.yaml")
        await import_team(session, team=team, actor="t", source="cli")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test-token",
        slack_signing_secret="test-secret",
        slack_api_url=fake_slack.url,
        runbooks_dir=ROOT / "runbooks",
    )
    clock = Clock(START)
    replicas = [await start_service(settings, session_maker, clock=clock) for _ in range(2)]
    for replica in replicas:
        replica.rituals.scheduler.pause()  # the simulated clock fires the jobs, not the wall clock
    try:
        return await simulate(replicas, clock, fake_slack)
    finally:
        for replica in replicas:
            replica.rituals.shutdown()


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=NY)


async def test_a_month_of_two_replicas_posts_everything_once_on_time(month: list[Sent]) -> None:
    assert [post for post, times in Counter(month).items() if times > 1] == []

    handoffs = [(p.at, p.channel) for p in month if p.text == "Handoff: data-oncall"]
    assert handoffs == [(at(day), "#data-oncall") for day in (2, 9, 16, 23, 30)]
    assert handoffs[0][0].utcoffset() == timedelta(hours=-5)  # 14:00 UTC, not 13:00 as in October

    # The working day before each shift, at the handoff time: primary, then backup.
    reminders = [(p.at, p.channel) for p in month if p.text.startswith("You are on call")]
    assert reminders == [
        (datetime(2026, 10, 30, 9, tzinfo=NY), "U0DAVID01"),
        (datetime(2026, 10, 30, 9, tzinfo=NY), "U0ALICE01"),
        (at(6), "U0ALICE01"),
        (at(6), "U0BOB0001"),
        (at(13), "U0BOB0001"),
        (at(13), "U0CAROL01"),
        (at(20), "U0CAROL01"),
        (at(20), "U0DAVID01"),
        (at(27), "U0DAVID01"),
        (at(27), "U0ALICE01"),
    ]

    notices = [(p.at, p.text) for p in month if p.text.startswith("Tomorrow")]
    assert notices == [(at(10), "Tomorrow: Veterans Day"), (at(25), "Tomorrow: Thanksgiving Day")]

    # Five business days before the end of November: the 23rd, Thanksgiving not counted.
    checklists = [p for p in month if p.text.startswith("Month-end checklist")]
    assert {p.at for p in checklists} == {at(23)}
    assert sorted(p.text for p in checklists) == [
        "Month-end checklist: Aggregated Data Pipeline",
        "Month-end checklist: Engagement Pipeline",
        "Month-end checklist: Growth Pipeline",
        "Month-end checklist: Profit Pipeline",
    ]
    nudges = [p for p in month if p.text.startswith("Still open")]
    assert all(p.thread for p in nudges)
    assert sorted(Counter(p.at for p in nudges).items()) == [(at(day), 4) for day in (24, 25, 27, 30)]

    assert len(month) == len(handoffs) + len(reminders) + len(notices) + len(checklists) + len(nudges)
