"""Heartbeats: a pipeline's job reports in (or reports a failure); one that is late past its grace
opens an incident, and its next report resolves it, saying so in the thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.alerts import Signal
from bot.core.heartbeats import missed
from bot.core.team import Pipeline
from bot.features.alerts import intake
from bot.features.alerts.freshness import rule_of
from bot.features.alerts.intake import Taken
from bot.features.oncall.views import TeamView
from bot.store import alerts as store
from bot.store import integrations as integrations_store
from bot.store.integrations import Integration

LATE, FAILED = "heartbeat-late", "heartbeat-failed"


def when(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M")


async def _record(session: AsyncSession, *, pipeline: str, integration: str, at: datetime) -> None:
    if await store.move_ping(session, pipeline=pipeline, integration=integration, at=at):
        await session.commit()
        return
    try:
        await store.add_ping(session, pipeline=pipeline, integration=integration, at=at)
        await session.commit()
    except IntegrityError:  # another replica stored the first report a moment ago
        await session.rollback()
        await store.move_ping(session, pipeline=pipeline, integration=integration, at=at)
        await session.commit()


async def ping(
    sessions: async_sessionmaker[AsyncSession],
    *,
    view: TeamView,
    integration: Integration,
    channel: str,
    at: datetime,
) -> list[Taken]:
    """Record the report and resolve what its lateness or a reported failure opened."""
    key = integration.pipeline or ""
    async with sessions() as session:
        await _record(session, pipeline=key, integration=integration.name, at=at)
        opened = await store.open_sources(session, prefix=f"{integration.name}:heartbeat-")
    said = f"{key} reported again {when(at, view.file.timezone)}"
    signals = [
        Signal(
            identity=s.key.split(":", 1)[1], firing=False, summary=said, pipeline_hint=key, resolution=said
        )
        for s in opened
        if s.key.split(":")[2] == key
    ]
    if not signals:
        return []
    return await intake.take(
        sessions, view=view, integration=integration, signals=signals, channel=channel, at=at
    )


async def fail(
    sessions: async_sessionmaker[AsyncSession],
    *,
    view: TeamView,
    integration: Integration,
    said: str,
    channel: str,
    at: datetime,
) -> list[Taken]:
    """The job reports a failure: an incident at once (its repeats fold); the next report resolves it."""
    key = integration.pipeline or ""
    failure = Signal(
        identity=f"{FAILED}:{key}",
        firing=True,
        summary=f"{key} reported a failure",
        pipeline_hint=key,
        description=said,
    )
    return await intake.take(
        sessions, view=view, integration=integration, signals=[failure], channel=channel, at=at
    )


@dataclass(frozen=True)
class Late:
    pipeline: Pipeline
    last: tuple[str, datetime]  # the integration it last reported through, and when
    deadline: datetime  # the one it missed
    reported: bool = True  # False: it never reported, and `last` is when its heartbeat URL was made

    def summary(self, zone: str) -> str:
        since = when(self.last[1], zone)
        if self.reported:
            return f"{self.pipeline.key} has not reported since {since}"
        return f"{self.pipeline.key} has never reported since its heartbeat URL was made {since}"


async def overdue(session: AsyncSession, *, view: TeamView, now: datetime) -> list[Late]:
    """The pipelines late past their heartbeat's grace at `now`; nothing changes. One that never
    reported is watched from when its first heartbeat URL was made: a job never wired up is late."""
    pings = await store.last_pings(session)
    first_urls: dict[str, Integration] = {}
    for integration in sorted(await integrations_store.all_integrations(session), key=lambda i: i.created_at):
        if integration.kind == "heartbeat" and integration.pipeline:
            first_urls.setdefault(integration.pipeline, integration)
    found = []
    for pipeline in view.file.pipelines:
        rule, last, url = rule_of(pipeline), pings.get(pipeline.key), first_urls.get(pipeline.key)
        zone, calendar = view.file.timezone, view.calendar
        if rule is None:
            continue
        if last is not None:
            deadline = missed(rule, zone, calendar, last[1], now)
        elif url is not None:
            deadline = missed(rule, zone, calendar, None, now, watched_since=url.created_at)
            last = (url.name, url.created_at)
        if last is not None and deadline is not None:
            found.append(Late(pipeline, last, deadline, reported=pipeline.key in pings))
    return found


async def sweep(
    sessions: async_sessionmaker[AsyncSession], *, view: TeamView, channel: str, now: datetime
) -> list[Taken]:
    """Open an incident for each pipeline late past its grace, once per missed deadline, unless one
    for its lateness is open already."""
    async with sessions() as session:
        late = await overdue(session, view=view, now=now)
    taken: list[Taken] = []
    for each in late:
        taken += await _late(sessions, view=view, late=each, channel=channel, now=now)
    return taken


async def _late(
    sessions: async_sessionmaker[AsyncSession],
    *,
    view: TeamView,
    late: Late,
    channel: str,
    now: datetime,
) -> list[Taken]:
    name, key, zone = late.last[0], late.pipeline.key, view.file.timezone
    identity = f"{LATE}:{key}:{late.deadline.strftime('%Y%m%dT%H%MZ')}"
    async with sessions() as session:
        integration = await integrations_store.by_name(session, name)
        if integration is None:
            return []  # removed: nobody expects its reports any more
        if await store.open_sources(session, prefix=f"{name}:{LATE}:{key}:"):
            return []  # still open from an earlier deadline
        if await store.source(session, f"{name}:{identity}") is not None:
            return []  # this deadline was dealt with already
    assert late.pipeline.heartbeat is not None
    grace = int(late.pipeline.heartbeat.grace.total_seconds() // 60)
    signal = Signal(
        identity=identity,
        firing=True,
        summary=late.summary(zone),
        pipeline_hint=key,
        description=f"It was due by {when(late.deadline, zone)}, with {grace} min of grace.",
    )
    return await intake.take(
        sessions, view=view, integration=integration, signals=[signal], channel=channel, at=now
    )
