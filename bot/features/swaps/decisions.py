"""Deciding a swap request: approve, decline, cancel, expire, reverse.

Each decision is a compare-and-set on the request's state, so a double click or approve racing
decline moves it once; only the approval that wins writes the overrides, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import Override, Reason, Role
from bot.core.swap_plan import Change, Span
from bot.core.team import Person
from bot.features.absences import settle as volunteer_settle
from bot.features.absences.volunteers import CallPost
from bot.features.oncall.views import TeamView
from bot.features.swaps.requests import Proposal, SwapRefused, check_swap
from bot.store import audit
from bot.store import swaps as store
from bot.store.schedule import add_override, end_overrides, lock_rotations
from bot.store.swaps import State, SwapRequest

SCHEDULER = "scheduler"


class NotYours(SwapRefused):
    """Someone other than the named teammate tried to answer."""


class SwapClosed(SwapRefused):
    """The request was already decided, cancelled or expired; `swap` is how it stands."""

    def __init__(self, swap: SwapRequest, *, closed_now: bool = False) -> None:
        super().__init__(f"swap request #{swap.id} is {swap.state} already")
        self.swap = swap
        self.closed_now = closed_now  # this very call found it past its time and closed it


@dataclass(frozen=True)
class Decided:
    swap: SwapRequest  # as stored after the decision
    changes: list[Change] = field(default_factory=list)  # what an approval wrote
    calls: list[CallPost] = field(default_factory=list)  # "I'll cover" calls whose offers it settled


def _proposal(swap: SwapRequest) -> Proposal:
    take = Span(swap.take_start, swap.take_end) if swap.take_start and swap.take_end else None
    return Proposal(
        swap.rotation, swap.mode, Span(swap.give_start, swap.give_end), take, shift_start=swap.shift_start
    )


async def _load(session: AsyncSession, swap_id: int) -> SwapRequest:
    swap = await store.get_request(session, swap_id)
    if swap is None:
        raise SwapRefused(f"there is no swap request #{swap_id}")
    return swap


async def _lost(session: AsyncSession, swap_id: int) -> SwapRefused:
    """Someone else moved the request first: say how it stands now."""
    await session.rollback()
    swap = await _load(session, swap_id)
    if swap.state == "pending":  # the store was too busy to wait for the other writer
        return SwapRefused(f"swap request #{swap_id} is being answered right now; try again in a moment")
    return SwapClosed(swap)


async def _move(
    session: AsyncSession, swap: SwapRequest, to: State, *, by: str, at: datetime, unexpired: bool
) -> bool:
    """The compare-and-set, with the rotation held until commit so that decisions, requests and
    absences in it are checked one at a time; a writer SQLite could not wait for counts as having
    lost the race."""
    try:
        await lock_rotations(session, [swap.rotation])
        return await store.transition(
            session, swap_id=swap.id, from_state=swap.state, to_state=to, by=by, at=at, unexpired=unexpired
        )
    except OperationalError:
        return False


async def _pending_answer(session: AsyncSession, swap_id: int, person: Person, at: datetime) -> SwapRequest:
    """The request, if `person` may answer it now; a request past its time is closed on the spot."""
    swap = await _load(session, swap_id)
    if person.id != swap.teammate:
        raise NotYours("this request isn't yours; only the teammate it names can answer it")
    if swap.state != "pending":
        raise SwapClosed(swap)
    if swap.expires_at <= at:
        closed_now = await expire(session, swap=swap, at=at)
        raise SwapClosed(await _load(session, swap_id), closed_now=closed_now)
    return swap


async def approve(
    session: AsyncSession,
    *,
    view: TeamView,
    swap_id: int,
    person: Person,
    at: datetime,
    source: str,
) -> Decided:
    """Apply a request: its overrides are written with the state change, by the one click that wins."""
    swap = await _pending_answer(session, swap_id, person, at)
    requester = view.people.get(swap.requester)
    if requester is None:
        raise SwapRefused(f"{swap.requester} is no longer in the team")
    # The compare-and-set comes first: a second click waits here for the first to finish, then loses.
    if not await _move(session, swap, "approved", by=person.id, at=at, unexpired=True):
        raise await _lost(session, swap_id)
    try:  # checked again inside the same transaction: the schedule may have changed since the request
        changes = await check_swap(
            session,
            view=view,
            requester=requester,
            teammate=person,
            proposal=_proposal(swap),
            at=at,
            reader=person,
            ignore=swap.id,
        )
    except SwapRefused:
        await session.rollback()  # still pending: nothing was written
        raise
    names = {p.id: p.name for p in view.file.people}
    ids = []
    for change in changes:
        name = names.get(change.instead_of, change.instead_of)
        note = (
            f"swap #{swap.id} with {name}"
            if swap.mode == "exchange"
            else f"covers for {name} (swap #{swap.id})"
        )
        span = change.span
        override = Override(
            swap.rotation, change.role, change.person, span.start, span.end, Reason.SWAP, note=note
        )
        ids.append(await add_override(session, override=override, actor=person.id, source=source, at=at))
    await store.remember_overrides(session, swap_id=swap.id, override_ids=ids)
    backup = [(c.span.start, c.span.end) for c in changes if c.role is Role.BACKUP]
    calls = await volunteer_settle.settle(
        session, view=view, rotation=swap.rotation, spans=backup, swap=swap.id
    )
    await _audit(session, swap, "swap.approve", person.id, source, at, f"overrides {_ids(ids)}")
    await session.commit()
    return Decided(await _load(session, swap.id), changes, calls)


def _ids(ids: list[int] | tuple[int, ...]) -> str:
    return ", ".join(f"#{i}" for i in ids) or "none"


async def _audit(
    session: AsyncSession,
    swap: SwapRequest,
    action: str,
    actor: str,
    source: str,
    at: datetime,
    detail: str = "",
) -> None:
    what = f"{swap.mode} {swap.requester} with {swap.teammate}"
    await audit.record(
        session,
        actor=actor,
        source=source,
        action=action,
        subject=f"swap #{swap.id}",
        detail=f"{what}; {detail}" if detail else what,
        at=at,
    )


async def decline(
    session: AsyncSession, *, swap_id: int, person: Person, at: datetime, source: str
) -> Decided:
    """Turn a request down; the schedule stays as it is."""
    swap = await _pending_answer(session, swap_id, person, at)
    if not await _move(session, swap, "declined", by=person.id, at=at, unexpired=True):
        raise await _lost(session, swap_id)
    await _audit(session, swap, "swap.decline", person.id, source, at)
    await session.commit()
    return Decided(await _load(session, swap.id))


async def cancel(
    session: AsyncSession, *, swap_id: int, person: Person, at: datetime, source: str
) -> Decided:
    """Withdraw a pending request of one's own (admins: anyone's); an admin cancelling an applied one
    reverses it."""
    swap = await _load(session, swap_id)
    if swap.requester != person.id and not person.admin:
        raise SwapRefused(f"swap request #{swap_id} is not yours; only admins cancel someone else's")
    if swap.state == "approved":
        if not person.admin:
            raise SwapRefused(f"swap #{swap_id} is applied already; ask an admin to reverse it")
        return await reverse(session, swap_id=swap_id, person=person, at=at, source=source)
    if swap.state != "pending":
        raise SwapClosed(swap)
    if not await _move(session, swap, "cancelled", by=person.id, at=at, unexpired=False):
        raise await _lost(session, swap_id)
    await _audit(session, swap, "swap.cancel", person.id, source, at)
    await session.commit()
    return Decided(await _load(session, swap.id))


async def reverse(
    session: AsyncSession, *, swap_id: int, person: Person, at: datetime, source: str
) -> Decided:
    """Undo an applied swap (admins only) from `at` on; what already happened stays in the schedule."""
    if not person.admin:
        raise SwapRefused("only admins reverse an applied swap")
    swap = await _load(session, swap_id)
    if swap.state != "approved":
        raise SwapClosed(swap)
    if max(end for _, end in swap.spans) <= at:
        raise SwapRefused(f"swap #{swap_id} is over already; there is nothing left to reverse")
    if not await _move(session, swap, "reversed", by=person.id, at=at, unexpired=False):
        raise await _lost(session, swap_id)
    ended, removed = await end_overrides(session, override_ids=swap.override_ids, at=at)
    detail = f"undone from {at.isoformat()}: overrides {_ids(ended)} ended then, {_ids(removed)} removed"
    await _audit(session, swap, "swap.reverse", person.id, source, at, detail)
    await session.commit()
    return Decided(await _load(session, swap.id))


async def expire(session: AsyncSession, *, swap: SwapRequest, at: datetime) -> bool:
    """Close a pending request whose time has come; True when this call closed it."""
    if not await _move(session, swap, "expired", by=SCHEDULER, at=at, unexpired=False):
        await session.rollback()
        return False
    await _audit(session, swap, "swap.expire", SCHEDULER, SCHEDULER, at, "nobody answered before it started")
    await session.commit()
    return True


async def expire_due(session: AsyncSession, *, at: datetime) -> list[SwapRequest]:
    """Close every pending request whose earliest time has started; those this call closed."""
    closed = []
    for swap in await store.due_to_expire(session, at=at):
        if await expire(session, swap=swap, at=at):
            closed.append(await _load(session, swap.id))
    return closed
