"""The alerts received, and each cause with the incident it opened. Repeats are counted from the
alerts themselves, so a storm of them contends for no row; claiming the next "still firing" update
is a single UPDATE, so replicas receiving the same alert at once tell the thread once. Nothing here
commits: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.incidents.model import Status
from bot.store.models import AlertRow, AlertSourceRow, HeartbeatRow, IncidentRow


@dataclass(frozen=True)
class Source:
    key: str
    incident_id: int
    since: datetime  # it opened or reopened its incident then
    last_update_at: datetime
    source_resolved_at: datetime | None
    shown: Mapping[str, Any]  # summary, description, runbook_url, labels, integration


def _source(row: AlertSourceRow) -> Source:
    return Source(row.key, row.incident_id, row.since, row.last_update_at, row.source_resolved_at, row.shown)


@dataclass(frozen=True)
class Received:
    """An alert as it arrived: its integration, the cause it reports, and what it said."""

    integration: str
    source_key: str
    firing: bool
    summary: str
    detail: dict[str, Any]
    incident_id: int | None = None  # known at once when it only adds to an open incident


async def add_alerts(
    session: AsyncSession, *, received: Sequence[Received], at: datetime
) -> list[tuple[int, str, bool]]:
    """Store what was received, in one statement however many arrived together. Per row its id,
    source key and whether it fires, in no promised order: asking for the order would make
    SQLite insert them one statement each."""
    rows = [
        {
            "integration": r.integration,
            "source_key": r.source_key,
            "received_at": at,
            "firing": r.firing,
            "summary": r.summary[:500],
            "detail": r.detail,
            "incident_id": r.incident_id,
        }
        for r in received
    ]
    if not rows:  # an INSERT without rows would add one of defaults
        return []
    stored = await session.execute(
        insert(AlertRow).returning(AlertRow.id, AlertRow.source_key, AlertRow.firing), rows
    )
    return [(id_, key, firing) for id_, key, firing in stored]


async def link_alerts(session: AsyncSession, *, alert_ids: Sequence[int], incident_id: int) -> None:
    await session.execute(update(AlertRow).where(AlertRow.id.in_(alert_ids)).values(incident_id=incident_id))


async def reports(session: AsyncSession, source: Source) -> tuple[int, datetime | None]:
    """How many firing alerts the cause sent since it (re)opened its incident, and the last one's time."""
    count, last = (
        await session.execute(
            select(func.count(), func.max(AlertRow.received_at)).where(
                AlertRow.source_key == source.key,
                AlertRow.firing.is_(True),
                AlertRow.received_at >= source.since,
            )
        )
    ).one()
    return int(count), last


async def source(session: AsyncSession, key: str) -> Source | None:
    row = await session.get(AlertSourceRow, key, populate_existing=True)
    return None if row is None else _source(row)


async def open_causes(session: AsyncSession, keys: Collection[str]) -> dict[str, Source]:
    """Of these causes, the ones whose incident is open, by key."""
    rows = await session.scalars(
        select(AlertSourceRow)
        .join(IncidentRow, IncidentRow.id == AlertSourceRow.incident_id)
        .where(AlertSourceRow.key.in_(keys), IncidentRow.status == Status.OPEN.value)
    )
    return {r.key: _source(r) for r in rows}


async def source_of_incident(session: AsyncSession, incident_id: int) -> Source | None:
    """The cause behind an incident, when an alert or a heartbeat opened it."""
    row = await session.scalar(
        select(AlertSourceRow).where(AlertSourceRow.incident_id == incident_id).limit(1)
    )
    return None if row is None else _source(row)


async def add_source(
    session: AsyncSession, *, key: str, incident_id: int, shown: dict[str, Any], at: datetime
) -> None:
    """A second one with the same key fails with IntegrityError at flush."""
    session.add(AlertSourceRow(key=key, incident_id=incident_id, since=at, last_update_at=at, shown=shown))
    await session.flush()


async def restart(
    session: AsyncSession, *, key: str, incident_id: int, shown: dict[str, Any], at: datetime
) -> None:
    """The cause opened (or reopened) `incident_id`, as `shown` now: its count starts over from `at`."""
    await session.execute(
        update(AlertSourceRow)
        .where(AlertSourceRow.key == key)
        .values(incident_id=incident_id, since=at, last_update_at=at, source_resolved_at=None, shown=shown)
    )


async def fires_again(session: AsyncSession, *, key: str) -> None:
    """The source said it cleared, then fired again: a later "resolved" counts anew."""
    await session.execute(
        update(AlertSourceRow).where(AlertSourceRow.key == key).values(source_resolved_at=None)
    )


async def claim_update(session: AsyncSession, *, key: str, not_after: datetime, at: datetime) -> bool:
    """Take the right to tell the thread, if it last heard of the cause at `not_after` or before."""
    result = await session.execute(
        update(AlertSourceRow)
        .where(AlertSourceRow.key == key, AlertSourceRow.last_update_at <= not_after)
        .values(last_update_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def claim_resolved(session: AsyncSession, *, key: str, at: datetime) -> bool:
    """Mark the cause resolved by its source; False when a report said so already."""
    result = await session.execute(
        update(AlertSourceRow)
        .where(AlertSourceRow.key == key, AlertSourceRow.source_resolved_at.is_(None))
        .values(source_resolved_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def open_sources(session: AsyncSession, *, prefix: str) -> list[Source]:
    """The causes whose key starts with `prefix` and whose incident is open."""
    rows = await session.scalars(
        select(AlertSourceRow)
        .join(IncidentRow, IncidentRow.id == AlertSourceRow.incident_id)
        .where(
            AlertSourceRow.key.startswith(prefix, autoescape=True), IncidentRow.status == Status.OPEN.value
        )
    )
    return [_source(r) for r in rows]


async def move_ping(session: AsyncSession, *, pipeline: str, integration: str, at: datetime) -> bool:
    """Remember a later report; False when none was stored yet (an older one changes nothing)."""
    await session.execute(
        update(HeartbeatRow)
        .where(HeartbeatRow.pipeline == pipeline, HeartbeatRow.last_ping_at < at)
        .values(integration=integration, last_ping_at=at)
    )
    return await session.get(HeartbeatRow, pipeline) is not None


async def add_ping(session: AsyncSession, *, pipeline: str, integration: str, at: datetime) -> None:
    """The first report; a second first one fails with IntegrityError at flush."""
    session.add(HeartbeatRow(pipeline=pipeline, integration=integration, last_ping_at=at))
    await session.flush()


async def last_pings(session: AsyncSession) -> dict[str, tuple[str, datetime]]:
    """Per pipeline: the integration it last reported through, and when."""
    rows = await session.scalars(select(HeartbeatRow))
    return {r.pipeline: (r.integration, r.last_ping_at) for r in rows}


async def last_ping(session: AsyncSession, pipeline: str) -> datetime | None:
    row = await session.get(HeartbeatRow, pipeline)
    return None if row is None else row.last_ping_at
