"""Open "I'll cover" calls: stored with the absence, closed once at their deadline or when it is cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

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
    state: Literal["open", "closed"] = "open"
    ts: str | None = None  # the channel post, once sent


def _call(row: VolunteerCallRow) -> VolunteerCall:
    return VolunteerCall(
        row.id,
        row.absence_id,
        row.rotation,
        row.channel,
        row.deadline,
        tuple(row.offers or ()),
        "closed" if row.state == "closed" else "open",
        row.ts,
    )


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


async def remember_post(session: AsyncSession, *, call_id: int, channel: str, ts: str) -> None:
    """Where the channel post asking went (Slack answers with the channel's id), to update it later."""
    await session.execute(
        update(VolunteerCallRow).where(VolunteerCallRow.id == call_id).values(channel=channel, ts=ts)
    )


async def calls_of(
    session: AsyncSession, *, absence: int, rotation: str | None = None
) -> list[VolunteerCall]:
    """An absence's calls (in one rotation), as they are now."""
    query = select(VolunteerCallRow).where(VolunteerCallRow.absence_id == absence)
    if rotation is not None:
        query = query.where(VolunteerCallRow.rotation == rotation)
    rows = await session.scalars(
        query.order_by(VolunteerCallRow.id).execution_options(populate_existing=True)
    )
    return [_call(r) for r in rows]


async def open_in(session: AsyncSession, *, rotation: str) -> list[VolunteerCall]:
    """A rotation's calls still open."""
    query = select(VolunteerCallRow).where(
        VolunteerCallRow.rotation == rotation, VolunteerCallRow.state == "open"
    )
    rows = await session.scalars(
        query.order_by(VolunteerCallRow.id).execution_options(populate_existing=True)
    )
    return [_call(r) for r in rows]


async def set_offers(session: AsyncSession, *, call_id: int, offers: Sequence[dict[str, Any]]) -> None:
    """What a call offers now, once part of it was settled otherwise."""
    await session.execute(
        update(VolunteerCallRow).where(VolunteerCallRow.id == call_id).values(offers=list(offers))
    )


async def due(session: AsyncSession, *, at: datetime) -> list[VolunteerCall]:
    """Open calls whose deadline has passed."""
    query = select(VolunteerCallRow).where(VolunteerCallRow.state == "open", VolunteerCallRow.deadline <= at)
    return [_call(r) for r in await session.scalars(query.order_by(VolunteerCallRow.id))]


async def close(session: AsyncSession, *, call_id: int, at: datetime) -> bool:
    """Compare-and-set: True for the one caller that closed it."""
    result = await session.execute(
        update(VolunteerCallRow)
        .where(VolunteerCallRow.id == call_id, VolunteerCallRow.state == "open")
        .values(state="closed", closed_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
