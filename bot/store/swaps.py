"""Swap requests: stored before anyone is told, decided by a compare-and-set on their state."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import SwapRequestRow

Mode = Literal["exchange", "cover"]
State = Literal["pending", "approved", "declined", "cancelled", "expired", "reversed"]


@dataclass(frozen=True)
class SwapRequest:
    id: int
    rotation: str
    requester: str
    teammate: str
    mode: Mode
    give_start: datetime  # the requester's time they hand over
    give_end: datetime
    take_start: datetime | None  # the teammate's time the requester takes (exchange only)
    take_end: datetime | None
    shift_start: datetime  # of the requester's whole shift, which `give` may be only part of
    reason: str
    state: State
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    dm_channel: str | None = None
    dm_ts: str | None = None
    override_ids: tuple[int, ...] = ()

    @property
    def spans(self) -> list[tuple[datetime, datetime]]:
        """The requester's interval, then (exchange) the teammate's."""
        taken = [(self.take_start, self.take_end)] if self.take_start and self.take_end else []
        return [(self.give_start, self.give_end), *taken]


def _request(row: SwapRequestRow) -> SwapRequest:
    return SwapRequest(
        id=row.id,
        rotation=row.rotation,
        requester=row.requester_id,
        teammate=row.teammate_id,
        mode=row.mode,  # type: ignore[arg-type]
        give_start=row.give_starts_at,
        give_end=row.give_ends_at,
        take_start=row.take_starts_at,
        take_end=row.take_ends_at,
        shift_start=row.shift_starts_at,
        reason=row.reason,
        state=row.state,  # type: ignore[arg-type]
        created_at=row.created_at,
        expires_at=row.expires_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        dm_channel=row.dm_channel,
        dm_ts=row.dm_ts,
        override_ids=tuple(row.override_ids or ()),
    )


async def add_request(
    session: AsyncSession,
    *,
    rotation: str,
    requester: str,
    teammate: str,
    mode: Mode,
    give: tuple[datetime, datetime],
    take: tuple[datetime, datetime] | None,
    reason: str,
    actor: str,
    source: str,
    at: datetime,
    shift_start: datetime | None = None,
) -> SwapRequest:
    """Store a pending request; it expires when the earliest shift in it starts, so a request for
    part of a shift (starting at `shift_start`; None: `give` is whole) cannot be approved once that
    shift is under way."""
    shift_start = shift_start or give[0]
    row = SwapRequestRow(
        rotation=rotation,
        requester_id=requester,
        teammate_id=teammate,
        mode=mode,
        give_starts_at=give[0],
        give_ends_at=give[1],
        take_starts_at=take[0] if take else None,
        take_ends_at=take[1] if take else None,
        shift_starts_at=shift_start,
        reason=reason,
        state="pending",
        created_at=at,
        created_by=actor,
        source=source,
        expires_at=min(shift_start, take[0]) if take else shift_start,
        override_ids=[],
    )
    session.add(row)
    await session.flush()
    return _request(row)


async def get_request(session: AsyncSession, swap_id: int) -> SwapRequest | None:
    # populate_existing: a request decided by another session must be read as it is now.
    row = await session.get(SwapRequestRow, swap_id, populate_existing=True)
    return _request(row) if row else None


async def transition(
    session: AsyncSession,
    *,
    swap_id: int,
    from_state: State,
    to_state: State,
    by: str,
    at: datetime,
    unexpired: bool = False,
) -> bool:
    """Compare-and-set of a request's state; True for the one caller that moved it.

    With `unexpired`, a pending request whose time has come (expires_at <= at) does not move either.
    """
    change = (
        update(SwapRequestRow)
        .where(SwapRequestRow.id == swap_id, SwapRequestRow.state == from_state)
        .values(state=to_state, decided_at=at, decided_by=by)
    )
    if unexpired:
        change = change.where(SwapRequestRow.expires_at > at)
    result = await session.execute(change)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def remember_message(session: AsyncSession, *, swap_id: int, channel: str, ts: str) -> None:
    """Where the teammate's request message is, to update it in place later."""
    await session.execute(
        update(SwapRequestRow).where(SwapRequestRow.id == swap_id).values(dm_channel=channel, dm_ts=ts)
    )


async def remember_overrides(session: AsyncSession, *, swap_id: int, override_ids: Sequence[int]) -> None:
    await session.execute(
        update(SwapRequestRow).where(SwapRequestRow.id == swap_id).values(override_ids=list(override_ids))
    )


async def overlapping(
    session: AsyncSession,
    *,
    rotation: str,
    start: datetime,
    end: datetime,
    states: Collection[State],
) -> list[SwapRequest]:
    """Requests in these states whose intervals (either one) overlap [start, end)."""
    gives = (SwapRequestRow.give_starts_at < end) & (SwapRequestRow.give_ends_at > start)
    takes = (SwapRequestRow.take_starts_at < end) & (SwapRequestRow.take_ends_at > start)
    query = select(SwapRequestRow).where(
        SwapRequestRow.rotation == rotation,
        SwapRequestRow.state.in_(list(states)),
        or_(gives, takes),
    )
    return [_request(r) for r in await session.scalars(query.order_by(SwapRequestRow.id))]


async def not_over(
    session: AsyncSession, *, states: Collection[State], after: datetime, person: str | None = None
) -> list[SwapRequest]:
    """Requests in these states with time left after `after`; with `person`, only theirs, made or received."""
    query = select(SwapRequestRow).where(
        SwapRequestRow.state.in_(list(states)),
        or_(SwapRequestRow.give_ends_at > after, SwapRequestRow.take_ends_at > after),
    )
    if person is not None:
        query = query.where(or_(SwapRequestRow.requester_id == person, SwapRequestRow.teammate_id == person))
    return [_request(r) for r in await session.scalars(query.order_by(SwapRequestRow.id))]


async def due_to_expire(session: AsyncSession, *, at: datetime) -> list[SwapRequest]:
    """Pending requests whose earliest time has started."""
    query = select(SwapRequestRow).where(SwapRequestRow.state == "pending", SwapRequestRow.expires_at <= at)
    return [_request(r) for r in await session.scalars(query.order_by(SwapRequestRow.id))]


async def pending_in(session: AsyncSession, *, rotation: str, after: datetime) -> list[SwapRequest]:
    """A rotation's requests still waiting for an answer at `after`."""
    query = select(SwapRequestRow).where(
        SwapRequestRow.rotation == rotation,
        SwapRequestRow.state == "pending",
        SwapRequestRow.expires_at > after,
    )
    return [_request(r) for r in await session.scalars(query.order_by(SwapRequestRow.expires_at))]


async def applied_with(
    session: AsyncSession, *, rotation: str, override_id: int, start: datetime, end: datetime
) -> SwapRequest | None:
    """The applied swap that wrote an override over [start, end), if a swap did."""
    found = await overlapping(session, rotation=rotation, start=start, end=end, states=["approved"])
    return next((r for r in found if override_id in r.override_ids), None)
