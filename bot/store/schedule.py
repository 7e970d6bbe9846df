"""Absences and overrides: the stored changes to the plain rotation."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.schedule.model import Absence, Override, Reason, Role
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
    return [Absence(r.person_id, r.starts_at, r.ends_at, r.reason, r.id) for r in rows]


async def overrides_overlapping(
    session: AsyncSession, *, start: datetime, end: datetime, rotation: str | None = None
) -> list[Override]:
    """Overrides overlapping [start, end); `seq` is the row id, so the newest wins."""
    query = select(OverrideRow).where(OverrideRow.ends_at > start, OverrideRow.starts_at < end)
    if rotation is not None:
        query = query.where(OverrideRow.rotation == rotation)
    rows = await session.scalars(query.order_by(OverrideRow.id))
    return [
        Override(
            r.rotation, Role(r.role), r.person_id, r.starts_at, r.ends_at, Reason(r.reason), r.id, r.note
        )
        for r in rows
    ]


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
) -> int:
    """Store an override; its id, which orders it after every older one. Bumps the revision."""
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
    )
    return await _insert(session, row)
