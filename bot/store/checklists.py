"""Month-end checklist items; ticking is a compare-and-set, so two people at once both count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.conflicts import conflict_insert
from bot.store.models import ChecklistItem


@dataclass(frozen=True)
class Entry:
    pipeline: str
    position: int
    text: str
    ticked_by: str | None
    ticked_at: datetime | None


async def ensure_items(session: AsyncSession, *, period: str, pipeline: str, texts: list[str]) -> None:
    """Create a month's items once; later calls leave them (and their ticks) alone."""
    existing = await session.scalar(
        select(ChecklistItem.position).where(
            ChecklistItem.period == period, ChecklistItem.pipeline == pipeline
        )
    )
    if existing is not None or not texts:
        return
    # Another replica may create the same items at the same moment: its rows stand. No savepoint,
    # which SQLite's driver would commit on its own, so a caller can still roll the items back.
    rows = [{"period": period, "pipeline": pipeline, "position": i, "text": t} for i, t in enumerate(texts)]
    await session.execute(conflict_insert(session, ChecklistItem).values(rows).on_conflict_do_nothing())


async def entries(session: AsyncSession, *, period: str, pipeline: str | None = None) -> list[Entry]:
    query = select(ChecklistItem).where(ChecklistItem.period == period)
    if pipeline is not None:
        query = query.where(ChecklistItem.pipeline == pipeline)
    rows = await session.scalars(query.order_by(ChecklistItem.pipeline, ChecklistItem.position))
    return [Entry(r.pipeline, r.position, r.text, r.ticked_by, r.ticked_at) for r in rows]


async def set_ticked(
    session: AsyncSession, *, period: str, pipeline: str, position: int, person: str | None, at: datetime
) -> bool:
    """Tick (person given) or untick (None) one item unless it already is; True when it changed."""
    item = (
        ChecklistItem.period == period,
        ChecklistItem.pipeline == pipeline,
        ChecklistItem.position == position,
    )
    still = ChecklistItem.ticked_by.is_(None) if person else ChecklistItem.ticked_by.is_not(None)
    changed = await session.execute(
        update(ChecklistItem).where(*item, still).values(ticked_by=person, ticked_at=at if person else None)
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]
