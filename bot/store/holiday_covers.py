"""Who covered each holiday, as announced: the history later years' holiday duty is planned from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import PastCover
from bot.store.conflicts import conflict_insert
from bot.store.models import HolidayCoverRow


async def holiday_covers(session: AsyncSession, *, rotation: str) -> list[PastCover]:
    rows = await session.scalars(
        select(HolidayCoverRow).where(HolidayCoverRow.rotation == rotation).order_by(HolidayCoverRow.day)
    )
    return [PastCover(row.day, row.person_id) for row in rows]


async def record_holiday_cover(session: AsyncSession, *, rotation: str, day: date, person: str) -> None:
    """Keep who covers `day`; the first record stands, so announcing it again (or two replicas
    announcing it at once) changes nothing."""
    row = {"rotation": rotation, "day": day, "person_id": person}
    await session.execute(conflict_insert(session, HolidayCoverRow).values(row).on_conflict_do_nothing())
