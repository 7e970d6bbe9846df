"""Absences and overrides: the stored changes to the plain rotation."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import Absence, Override, Reason, Role
from bot.store.models import AbsenceRow, OverrideRow, RotationRow
from bot.store.team import bump_revision


async def lock_rotations(session: AsyncSession, names: Collection[str]) -> None:
    """Hold these rotations until the transaction ends, so that changes to one rotation's schedule are
    checked and written one at a time; call it before reading what the checks need.

    A no-op UPDATE of the rotation's row rather than SELECT ... FOR UPDATE: SQLite has no row locks,
    and its driver begins a transaction only at the first write, so on SQLite only a write makes a
    second writer wait here (busy timeout) instead of after its checks. Sorted, so two never deadlock.
    """
    for name in sorted(set(names)):
        await session.execute(
            update(RotationRow).where(RotationRow.name == name).values(name=RotationRow.name)
        )


async def absences_overlapping(
    session: AsyncSession, *, start: datetime, end: datetime, people: Collection[str] | None = None
) -> list[Absence]:
    """Absences overlapping the half-open interval [start, end)."""
    query = select(AbsenceRow).where(AbsenceRow.ends_at > start, AbsenceRow.starts_at < end)
    if people is not None:
        query = query.where(AbsenceRow.person_id.in_(list(people)))
    rows = await session.scalars(query.order_by(AbsenceRow.starts_at, AbsenceRow.id))
    return [_absence(r) for r in rows]


def _absence(row: AbsenceRow) -> Absence:
    return Absence(row.person_id, row.starts_at, row.ends_at, row.reason, row.id)


def _override(row: OverrideRow) -> Override:
    return Override(
        row.rotation,
        Role(row.role),
        row.person_id,
        row.starts_at,
        row.ends_at,
        Reason(row.reason),
        row.id,
        row.note,
    )


async def get_absence(session: AsyncSession, absence_id: int) -> Absence | None:
    row = await session.get(AbsenceRow, absence_id, populate_existing=True)
    return _absence(row) if row else None


async def end_absence(session: AsyncSession, *, absence_id: int, at: datetime) -> bool:
    """Take an absence back from `at` on, keeping its past: one not started yet is removed (True),
    one under way ends at `at`. Bumps the revision."""
    row = await session.get(AbsenceRow, absence_id)
    assert row is not None and row.ends_at > at
    removed = row.starts_at >= at
    if removed:
        await session.delete(row)
    else:
        row.ends_at = at
    await session.flush()
    await bump_revision(session)
    return removed


async def overrides_overlapping(
    session: AsyncSession, *, start: datetime, end: datetime, rotation: str | None = None
) -> list[Override]:
    """Overrides overlapping [start, end); `seq` is the row id, so the newest wins."""
    query = select(OverrideRow).where(OverrideRow.ends_at > start, OverrideRow.starts_at < end)
    if rotation is not None:
        query = query.where(OverrideRow.rotation == rotation)
    return [_override(r) for r in await session.scalars(query.order_by(OverrideRow.id))]


async def volunteers_for(session: AsyncSession, absence_id: int) -> list[Override]:
    """The overrides volunteers took because of an absence, oldest first."""
    query = select(OverrideRow).where(OverrideRow.absence_id == absence_id).order_by(OverrideRow.id)
    return [_override(r) for r in await session.scalars(query)]


async def end_overrides(
    session: AsyncSession, *, override_ids: Collection[int], at: datetime
) -> tuple[list[int], list[int]]:
    """Take overrides out of the schedule from `at` on, keeping the past as it was: those under way
    end at `at`, those still to come are removed. The ids (ended, removed)."""
    rows = await session.scalars(
        select(OverrideRow).where(OverrideRow.id.in_(list(override_ids)), OverrideRow.ends_at > at)
    )
    found = list(rows)
    ended = [r.id for r in found if r.starts_at < at]
    removed = [r.id for r in found if r.starts_at >= at]
    if ended:
        await session.execute(update(OverrideRow).where(OverrideRow.id.in_(ended)).values(ends_at=at))
    if removed:
        await session.execute(delete(OverrideRow).where(OverrideRow.id.in_(removed)))
    await bump_revision(session)
    return ended, removed


async def _insert(session: AsyncSession, row: AbsenceRow | OverrideRow) -> int:
    session.add(row)
    await session.flush()
    await bump_revision(session)
    return row.id


async def add_absence(
    session: AsyncSession,
    *,
    person: str,
    start: datetime,
    end: datetime,
    reason: str,
    actor: str,
    source: str,
    at: datetime,
) -> int:
    """Store an absence; its id. Bumps the team's revision: the schedule changed."""
    row = AbsenceRow(
        person_id=person,
        starts_at=start,
        ends_at=end,
        reason=reason,
        created_at=at,
        created_by=actor,
        source=source,
    )
    return await _insert(session, row)


async def add_override(
    session: AsyncSession,
    *,
    override: Override,
    actor: str,
    source: str,
    at: datetime,
    absence: int | None = None,
) -> int:
    """Store an override; its id, which orders it after every older one. Bumps the revision.

    `absence`: the absence a volunteer covers for, so the override goes with it."""
    row = OverrideRow(
        rotation=override.rotation,
        role=override.role.value,
        person_id=override.person,
        starts_at=override.start,
        ends_at=override.end,
        reason=override.reason.value,
        note=override.note,
        created_at=at,
        created_by=actor,
        source=source,
        absence_id=absence,
    )
    return await _insert(session, row)
