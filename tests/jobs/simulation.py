"""Rituals on a simulated clock: every replica's jobs fired at the times their triggers give, and
what Slack received meanwhile, as a reader would see it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.jobs.scheduler import Rituals
from bot.shell.terminal import render_blocks
from tests.jobs.conftest import WEEK6, Clock
from tests.slack.fakeslack import FakeSlack

NAMES = {p.slack_id: p.name for p in WEEK6.people if p.slack_id}


@dataclass(frozen=True)
class Sent:
    at: datetime  # the simulated time it went out, on the zone's wall clock
    channel: str
    text: str  # the notification text
    said: str  # the message as a reader sees it, mentions as @Name
    thread: bool


def next_fire(rituals: Rituals, after: datetime) -> tuple[datetime, list[str]] | None:
    """The earliest time one of the replica's handoff jobs fires after `after`, and which do."""
    fires: dict[datetime, list[str]] = {}
    # In UTC: a microsecond added to a local time in the hour a DST change repeats lands in its
    # first pass, an hour early, and ambiguous local times never equal another zone's.
    after = after.astimezone(UTC) + timedelta(microseconds=1)
    for job in rituals.scheduler.get_jobs():
        if job.id.startswith("handoff:"):
            at = job.trigger.get_next_fire_time(None, after).astimezone(UTC)
            fires.setdefault(at, []).append(job.id)
    return min(fires.items()) if fires else None


async def simulate(
    replicas: list[Rituals],
    clock: Clock,
    fake: FakeSlack,
    *,
    until: datetime,
    tick: timedelta | None,
    zone: str = "America/New_York",
) -> list[Sent]:
    """Step the shared clock from one job's time to the next, firing it on every replica at once.

    The minute tick runs every `tick` instead (None: never): a month of real minute ticks would take
    minutes, and what falls due between ticks is sent by the next one anyway.
    """
    sent: list[Sent] = []
    next_tick = clock.now.astimezone(UTC) + tick if tick else None
    for _ in range(5_000):  # bounded: a month has about 770 hourly ticks
        fires = [f for f in (next_fire(r, clock.now) for r in replicas) if f]
        at, job_ids = min(fires, default=(until, []))
        if tick is not None and next_tick is not None and next_tick <= at:
            # A trigger at the tick's time fires with it, as both would on the wall clock.
            job_ids = [*job_ids, "tick"] if next_tick == at else ["tick"]
            at, next_tick = next_tick, next_tick + tick
        if at >= until:
            return sent
        clock.now = at
        seen = len(fake.calls)
        await asyncio.gather(*(_fire(r, job_id) for r in replicas for job_id in job_ids))
        sent += [
            Sent(
                at.astimezone(ZoneInfo(zone)),
                c.args["channel"],
                c.args["text"],
                render_blocks(c.args["blocks"], NAMES).text,
                "thread_ts" in c.args,
            )
            for c in fake.calls[seen:]
            if c.method == "chat.postMessage"
        ]
    raise AssertionError("the simulation did not reach its end")


async def _fire(rituals: Rituals, job_id: str) -> None:
    job = rituals.scheduler.get_job(job_id)
    assert job is not None, f"{job_id} is not scheduled"
    await job.func()
