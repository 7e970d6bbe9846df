"""Incidents: declared once per request, stored before Slack hears of them, and the people to reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.pipelines import PipelineCard
from bot.store import audit
from bot.store.models import IncidentRow

SEVERITIES = ("sev1", "sev2", "sev3")


@dataclass(frozen=True)
class Incident:
    id: int
    pipeline: str
    severity: str
    summary: str
    status: str
    declared_by: str
    declared_at: datetime
    channel: str
    ts: str | None
    acked_by: str | None = None
    acked_at: datetime | None = None


@dataclass(frozen=True)
class Reach:
    """Someone the incident must reach: reached, or named as unavailable with who stands in."""

    person: str
    role: str  # "primary owner", "secondary owner", "on call"
    reached: bool
    why: str = ""
    stand_in: str | None = None


def _incident(row: IncidentRow) -> Incident:
    return Incident(
        row.id,
        row.pipeline,
        row.severity,
        row.summary,
        row.status,
        row.declared_by,
        row.declared_at,
        row.channel,
        row.ts,
        row.acked_by,
        row.acked_at,
    )


async def declare(
    session: AsyncSession,
    *,
    key: str,
    pipeline: str,
    severity: str,
    summary: str,
    declared_by: str,
    channel: str,
    at: datetime,
) -> tuple[Incident, bool]:
    """Store a new incident, or return the one this same request already declared (False)."""
    existing = await session.scalar(select(IncidentRow).where(IncidentRow.key == key))
    if existing is not None:
        return _incident(existing), False
    row = IncidentRow(
        key=key,
        pipeline=pipeline,
        severity=severity,
        summary=summary,
        status="open",
        declared_by=declared_by,
        declared_at=at,
        channel=channel,
    )
    session.add(row)
    try:
        await session.flush()
        await audit.record(
            session,
            actor=declared_by,
            source="slack",
            action="incident.declare",
            subject=pipeline,
            detail=summary,
            at=at,
        )
        await session.commit()
    except IntegrityError:  # the same request, redelivered at the same moment
        await session.rollback()
        again = await session.scalar(select(IncidentRow).where(IncidentRow.key == key))
        assert again is not None
        return _incident(again), False
    return _incident(row), True


async def mark_posted(session: AsyncSession, *, incident_id: int, ts: str) -> None:
    await session.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(ts=ts))
    await session.commit()


async def open_incidents(session: AsyncSession) -> list[Incident]:
    rows = await session.scalars(
        select(IncidentRow).where(IncidentRow.status == "open").order_by(IncidentRow.id)
    )
    return [_incident(r) for r in rows]


async def find(session: AsyncSession, incident_id: int) -> Incident | None:
    row = await session.get(IncidentRow, incident_id)
    return None if row is None else _incident(row)


def audience(card: PipelineCard) -> list[Reach]:
    """The owners and the on-call primary, each once; anyone unavailable is named, the backup stands in."""
    wanted = [(card.pipeline.primary, "primary owner"), (card.pipeline.secondary, "secondary owner")]
    backups: dict[str, str | None] = {}
    for answer in card.on_call:
        if answer.primary and answer.primary.person:
            wanted.append((answer.primary.person, "on call"))
            backups[answer.primary.person] = answer.backup.person if answer.backup else None
    stand_in = next(iter(backups.values()), None)
    found, seen = [], set()
    for person, role in wanted:
        if person in seen:
            continue
        seen.add(person)
        reach = card.reach.get(person)
        if reach is None or reach.available:
            found.append(Reach(person, role, True))
        else:
            found.append(Reach(person, role, False, reach.why, backups.get(person, stand_in)))
    return found


async def acknowledge(session: AsyncSession, *, incident_id: int, person: str, at: datetime) -> bool:
    """Record who acknowledged; a compare-and-set, so a double click counts once. True if this one did."""
    unacked = (IncidentRow.id == incident_id, IncidentRow.acked_by.is_(None), IncidentRow.status == "open")
    changed = await session.execute(update(IncidentRow).where(*unacked).values(acked_by=person, acked_at=at))
    done = bool(changed.rowcount)  # type: ignore[attr-defined]
    if done:
        await audit.record(
            session, actor=person, source="slack", action="incident.ack", subject=f"#{incident_id}", at=at
        )
    await session.commit()
    return done
