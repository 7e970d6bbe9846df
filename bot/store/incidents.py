"""Incidents and their timeline. State changes are compare-and-sets, so a double click or two
replicas racing change an incident once; nothing here commits: the caller commits a change together
with its timeline entry and audit line."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.incidents.model import Declaration, Event, EventKind, Incident, Status
from bot.store.models import IncidentEventRow, IncidentRow


def _incident(row: IncidentRow) -> Incident:
    return Incident(
        id=row.id,
        pipeline=row.pipeline,
        severity=row.severity,
        summary=row.summary,
        link=row.link,
        status=Status(row.status),
        declared_by=row.declared_by,
        declared_at=row.declared_at,
        channel=row.channel,
        ts=row.ts,
        acked_by=row.acked_by,
        acked_at=row.acked_at,
        level=row.level,
        level_at=row.level_at,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution=row.resolution,
    )


def _event(row: IncidentEventRow) -> Event:
    return Event(
        id=row.id,
        incident_id=row.incident_id,
        kind=EventKind(row.kind),
        at=row.at,
        actor=row.actor,
        detail=row.detail,
        level=row.level,
        posted=row.posted,
    )


async def by_key(session: AsyncSession, key: str) -> Incident | None:
    row = await session.scalar(select(IncidentRow).where(IncidentRow.key == key))
    return None if row is None else _incident(row)


async def by_key_or_its_next(session: AsyncSession, key: str) -> list[Incident]:
    """The incidents stored under `key`, `key#2`, `key#3`..., oldest first."""
    rows = await session.scalars(
        select(IncidentRow)
        .where(or_(IncidentRow.key == key, IncidentRow.key.startswith(f"{key}#", autoescape=True)))
        .order_by(IncidentRow.id)
    )
    return [_incident(r) for r in rows]


async def insert(
    session: AsyncSession,
    *,
    key: str,
    declaration: Declaration,
    at: datetime,
) -> Incident:
    """Add an incident; a second one with the same key fails with IntegrityError at flush."""
    row = IncidentRow(
        key=key,
        **asdict(declaration),
        status=Status.OPEN.value,
        declared_at=at,
        level=0,
        level_at=at,
    )
    session.add(row)
    await session.flush()
    return _incident(row)


async def get(session: AsyncSession, incident_id: int) -> Incident | None:
    row = await session.get(IncidentRow, incident_id, populate_existing=True)
    return None if row is None else _incident(row)


async def open_incidents(session: AsyncSession) -> list[Incident]:
    rows = await session.scalars(
        select(IncidentRow).where(IncidentRow.status == Status.OPEN.value).order_by(IncidentRow.id)
    )
    return [_incident(r) for r in rows]


async def resolved_since(
    session: AsyncSession, *, since: datetime, declared_before: datetime
) -> list[Incident]:
    """Incidents resolved now, at `since` or later, that were declared before `declared_before`."""
    rows = await session.scalars(
        select(IncidentRow)
        .where(
            IncidentRow.status == Status.RESOLVED.value,
            IncidentRow.resolved_at >= since,
            IncidentRow.declared_at < declared_before,
        )
        .order_by(IncidentRow.id)
    )
    return [_incident(r) for r in rows]


async def reopened_among(session: AsyncSession, incident_ids: Collection[int]) -> set[int]:
    """Which of these incidents were reopened at some point."""
    ids = await session.scalars(
        select(IncidentEventRow.incident_id)
        .where(
            IncidentEventRow.incident_id.in_(list(incident_ids)),
            IncidentEventRow.kind == EventKind.REOPENED.value,
        )
        .distinct()
    )
    return set(ids)


async def _change(session: AsyncSession, incident_id: int, *where: Any, **values: Any) -> bool:
    """Apply `values` only if the incident still matches `where`: True when this caller changed it."""
    result = await session.execute(
        update(IncidentRow).where(IncidentRow.id == incident_id, *where).values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def acknowledge(session: AsyncSession, *, incident_id: int, person: str, at: datetime) -> bool:
    unacked = (IncidentRow.acked_by.is_(None), IncidentRow.status == Status.OPEN.value)
    return await _change(session, incident_id, *unacked, acked_by=person, acked_at=at)


async def raise_level(session: AsyncSession, *, incident_id: int, seen: int, at: datetime) -> bool:
    """Move from level `seen` to the next; False when someone else moved it first."""
    still = (IncidentRow.level == seen, IncidentRow.status == Status.OPEN.value)
    return await _change(session, incident_id, *still, level=seen + 1, level_at=at)


async def resolve(
    session: AsyncSession, *, incident_id: int, person: str, resolution: str, at: datetime
) -> bool:
    return await _change(
        session,
        incident_id,
        IncidentRow.status == Status.OPEN.value,
        status=Status.RESOLVED.value,
        resolved_by=person,
        resolved_at=at,
        resolution=resolution,
    )


async def reopen(session: AsyncSession, *, incident_id: int, at: datetime) -> bool:
    """Open again, unacknowledged, with escalation starting over from level 0 now."""
    return await _change(
        session,
        incident_id,
        IncidentRow.status == Status.RESOLVED.value,
        status=Status.OPEN.value,
        acked_by=None,
        acked_at=None,
        resolved_by=None,
        resolved_at=None,
        resolution=None,
        level=0,
        level_at=at,
    )


async def mark_posted(session: AsyncSession, *, incident_id: int, channel: str, ts: str) -> None:
    await _change(session, incident_id, channel=channel, ts=ts)


async def add_event(
    session: AsyncSession,
    *,
    incident_id: int,
    kind: EventKind,
    at: datetime,
    actor: str | None,
    detail: str = "",
    level: int | None = None,
) -> None:
    session.add(
        IncidentEventRow(
            incident_id=incident_id,
            kind=kind.value,
            at=at,
            actor=actor,
            detail=detail[:500],
            level=level,
            posted=False,
        )
    )


async def events(session: AsyncSession, incident_id: int) -> list[Event]:
    rows = await session.scalars(
        select(IncidentEventRow)
        .where(IncidentEventRow.incident_id == incident_id)
        .order_by(IncidentEventRow.id)
    )
    return [_event(r) for r in rows]


async def with_unposted_events(session: AsyncSession) -> list[int]:
    """The incidents whose timeline has an event the thread does not show yet."""
    ids = await session.scalars(
        select(IncidentEventRow.incident_id)
        .where(IncidentEventRow.posted.is_(False))
        .distinct()
        .order_by(IncidentEventRow.incident_id)
    )
    return list(ids)


async def mark_event_posted(session: AsyncSession, *, event_id: int) -> None:
    await session.execute(update(IncidentEventRow).where(IncidentEventRow.id == event_id).values(posted=True))


async def count_open(session: AsyncSession) -> int:
    """How many incidents are not resolved."""
    query = select(func.count()).select_from(IncidentRow).where(IncidentRow.status == Status.OPEN.value)
    return int(await session.scalar(query) or 0)
