"""Open "I'll cover" calls: stored with the absence, closed once when their deadline passes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import VolunteerCallRow


@dataclass(frozen=True)
class VolunteerCall:
    id: int
    absence: int
    rotation: str
    channel: str
    deadline: datetime
    offers: tuple[dict[str, Any], ...]  # each offered stretch, as its button carried it


async def add_call(
    session: AsyncSession,
    *,
    absence: int,
    rotation: str,
    channel: str,
    deadline: datetime,
    offers: Sequence[dict[str, Any]],
) -> int:
    row = VolunteerCallRow(
        absence_id=absence,
        rotation=rotation,
        channel=channel,
        deadline=deadline,
        offers=list(offers),
        state="open",
    )
    session.add(row)
    await session.flush()
    return row.id


async def due(session: AsyncSession, *, at: datetime) -> list[VolunteerCall]:
    """Open calls whose deadline has passed."""
    query = select(VolunteerCallRow).where(VolunteerCallRow.state == "open", VolunteerCallRow.deadline <= at)
    return [
        VolunteerCall(r.id, r.absence_id, r.rotation, r.channel, r.deadline, tuple(r.offers or ()))
        for r in await session.scalars(query.order_by(VolunteerCallRow.id))
    ]


async def close(session: AsyncSession, *, call_id: int, at: datetime) -> bool:
    """Compare-and-set: True for the one caller that closed it."""
    result = await session.execute(
        update(VolunteerCallRow)
        .where(VolunteerCallRow.id == call_id, VolunteerCallRow.state == "open")
        .values(state="closed", closed_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
