"""Asking for a swap or cover: finding people's shifts, checking every rule, storing the request."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import resolve, shifts
from bot.core.schedule.model import Override, Reason, Rotation, ScheduleInputs, Segment
from bot.core.swap_plan import PROPOSED_SEQ, Change, Duty, Mode, Span, describe, duties, plan, problems
from bot.core.team import Person
from bot.features.oncall.views import TeamView, schedule_inputs
from bot.store import audit
from bot.store import swaps as store
from bot.store.schedule import absences_overlapping, lock_rotations, overrides_overlapping
from bot.store.swaps import SwapRequest

HORIZON = timedelta(weeks=12)  # how far ahead shifts are offered


class SwapRefused(ValueError):
    """The swap cannot be asked for or decided as asked; the message says why.

    `field` names the part of the swap form the message is about.
    """

    def __init__(self, message: str, *, field: str = "mine") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Proposal:
    """A swap as asked, before it is checked."""

    rotation: str
    mode: Mode
    give: Span  # the requester's shift, or the part of it asked for
    take: Span | None = None
    # Of the whole shift `give` is part of (None: `give` is whole); a started shift is not swapped at all.
    shift_start: datetime | None = None


def when_in(zone: str) -> Callable[[datetime], str]:
    """Instants written on a reader's wall clock, for messages that cannot use Slack's date tokens."""
    tz = ZoneInfo(zone)
    return lambda at: at.astimezone(tz).strftime("%a %d %b %H:%M %Z")


def _rotation(view: TeamView, name: str) -> Rotation:
    rotation = view.rotations.get(name)
    if rotation is None:
        raise SwapRefused(f"there is no rotation {name!r} any more")
    return rotation


async def _segments(session: AsyncSession, view: TeamView, rotation: Rotation, span: Span) -> list[Segment]:
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=span.start, end=span.end)
    return resolve(rotation, span.start, span.end, inputs).segments


async def duties_of(
    session: AsyncSession, *, view: TeamView, person: str, start: datetime, end: datetime
) -> list[Duty]:
    """A person's whole shifts overlapping [start, end), in every rotation they belong to."""
    return (await duties_of_each(session, view=view, people=[person], start=start, end=end))[person]


async def duties_of_each(
    session: AsyncSession, *, view: TeamView, people: Collection[str], start: datetime, end: datetime
) -> dict[str, list[Duty]]:
    """`duties_of` for several people, each rotation read and resolved once for all of them."""
    found: dict[str, list[Duty]] = {person: [] for person in people}
    asked = Span(start, end)
    for rotation in (r for r in view.rotations.values() if found.keys() & set(r.members)):
        plain = shifts(rotation, start, end)
        if not plain:
            continue
        # Resolved over the whole plain shifts, so a shift that runs past the asked time is whole.
        segments = await _segments(session, view, rotation, Span(plain[0].start, plain[-1].end))
        for person in found.keys() & set(rotation.members):
            mine = duties(segments, person, [s.start for s in plain])
            found[person] += [d for d in mine if d.span.overlaps(asked)]
    return {person: sorted(held, key=lambda d: d.span.start) for person, held in found.items()}


async def duty_during(session: AsyncSession, *, view: TeamView, person: str, span: Span) -> Duty | None:
    """ "My shift" around a stretch of time: the one holding most of it (ties: the later)."""
    found = await duties_of(session, view=view, person=person, start=span.start, end=span.end)

    def share(duty: Duty) -> tuple[timedelta, datetime]:
        part = duty.span.clip(span)
        return (part.end - part.start if part else timedelta(0), duty.span.start)

    return max(found, key=share, default=None)


async def next_duty(
    session: AsyncSession, *, view: TeamView, person: str, rotation: str, after: datetime, avoiding: Span
) -> Duty | None:
    """A person's first shift in `rotation` that starts after `after` and does not overlap `avoiding`."""
    found = await duties_of(session, view=view, person=person, start=after, end=after + HORIZON)
    return next(
        (
            d
            for d in found
            if d.rotation == rotation and d.span.start > after and not d.span.overlaps(avoiding)
        ),
        None,
    )


def _basic_rules(
    view: TeamView,
    requester: Person,
    teammate: Person,
    proposal: Proposal,
    at: datetime,
    when: Callable[[datetime], str],
) -> None:
    rotation = _rotation(view, proposal.rotation)
    if teammate.id == requester.id:
        raise SwapRefused("you cannot swap with yourself", field="teammate")
    for person, field in ((requester, "mine"), (teammate, "teammate")):
        if person.id not in rotation.members:
            raise SwapRefused(f"{person.name} is not in the {rotation.name} rotation", field=field)
    if proposal.mode == "exchange" and proposal.take is None:
        raise SwapRefused(f"pick one of {teammate.name}'s shifts, or cover only", field="theirs")
    theirs = proposal.take.start if proposal.take else None
    for start, field in ((proposal.shift_start or proposal.give.start, "mine"), (theirs, "theirs")):
        if start is not None and start <= at:
            raise SwapRefused(f"the shift from {when(start)} has already started", field=field)
    if proposal.take is not None and proposal.take.overlaps(proposal.give):
        raise SwapRefused(
            "the two shifts overlap; pick one of theirs that does not, or cover only", field="theirs"
        )


async def _conflicts(
    session: AsyncSession, view: TeamView, people: set[str], proposal: Proposal, ignore: int | None
) -> str | None:
    """Another pending request or a stored override over the same time, in words."""
    spans = [s for s in (proposal.give, proposal.take) if s is not None]
    for span in spans:
        pending = await store.overlapping(
            session, rotation=proposal.rotation, start=span.start, end=span.end, states=["pending"]
        )
        other = next((r for r in pending if r.id != ignore), None)
        if other:
            names = f"{view.people[other.requester].name} and {view.people[other.teammate].name}"
            return f"it overlaps swap request #{other.id} between {names}, still waiting for an answer"
        overrides = await overrides_overlapping(
            session, start=span.start, end=span.end, rotation=proposal.rotation
        )
        clash = next((o for o in overrides if o.person in people), None)
        if clash:
            name = view.people[clash.person].name if clash.person in view.people else clash.person
            note = f" ({clash.note})" if clash.note else ""
            return f"{name} already holds {clash.role.value} by {clash.reason.value}{note} in that time"
    return None


async def check_swap(
    session: AsyncSession,
    *,
    view: TeamView,
    requester: Person,
    teammate: Person,
    proposal: Proposal,
    at: datetime,
    reader: Person,
    ignore: int | None = None,
) -> list[Change]:
    """The role changes the swap makes, once every rule holds; SwapRefused says which one does not,
    with its times on the clock of `reader`, who asks or approves."""
    when = when_in(view.zone_of(reader))
    _basic_rules(view, requester, teammate, proposal, at, when)
    conflict = await _conflicts(session, view, {requester.id, teammate.id}, proposal, ignore)
    if conflict:
        raise SwapRefused(conflict)
    rotation = _rotation(view, proposal.rotation)
    spans = [s for s in (proposal.give, proposal.take) if s is not None]
    whole = Span(min(s.start for s in spans), max(s.end for s in spans))
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=whole.start, end=whole.end)
    before = resolve(rotation, whole.start, whole.end, inputs).segments
    changes = plan(
        proposal.mode,
        before,
        requester=requester.id,
        teammate=teammate.id,
        give=proposal.give,
        take=proposal.take,
    )
    proposed = [
        Override(rotation.name, c.role, c.person, c.span.start, c.span.end, Reason.SWAP, PROPOSED_SEQ)
        for c in changes
    ]
    after = resolve(rotation, whole.start, whole.end, _with(inputs, proposed)).segments
    away = await absences_overlapping(
        session, start=whole.start, end=whole.end, people=[requester.id, teammate.id]
    )
    found = problems(
        changes,
        mode=proposal.mode,
        requester=requester.id,
        teammate=teammate.id,
        give=proposal.give,
        take=proposal.take,
        before=before,
        after=after,
        absences=away,
    )
    if found:
        names = {p.id: p.name for p in view.file.people}
        words = [describe(p, names, when) for p in found[:3]]
        raise SwapRefused("; ".join(words))
    return changes


def _with(inputs: ScheduleInputs, overrides: list[Override]) -> ScheduleInputs:
    return replace(inputs, overrides=[*inputs.overrides, *overrides])


async def request_swap(
    session: AsyncSession,
    *,
    view: TeamView,
    requester: Person,
    teammate: Person,
    proposal: Proposal,
    reason: str,
    source: str,
    at: datetime,
) -> tuple[SwapRequest, list[Change]]:
    """Check and store a pending request (committed), with the changes it would make."""
    await lock_rotations(session, [proposal.rotation])  # a request sent at the same time waits here
    try:
        changes = await check_swap(
            session,
            view=view,
            requester=requester,
            teammate=teammate,
            proposal=proposal,
            at=at,
            reader=requester,
        )
    except SwapRefused:
        await session.rollback()
        raise
    give, take = proposal.give, proposal.take
    swap = await store.add_request(
        session,
        rotation=proposal.rotation,
        requester=requester.id,
        teammate=teammate.id,
        mode=proposal.mode,
        give=(give.start, give.end),
        take=(take.start, take.end) if take else None,
        shift_start=proposal.shift_start,
        reason=reason,
        actor=requester.id,
        source=source,
        at=at,
    )
    await audit.record(
        session,
        actor=requester.id,
        source=source,
        action="swap.request",
        subject=f"swap #{swap.id}",
        detail=f"{proposal.mode} with {teammate.id}, {give.start.isoformat()} to {give.end.isoformat()}",
        at=at,
    )
    await session.commit()
    return swap, changes


async def requests_of(
    session: AsyncSession, *, person: str, at: datetime
) -> tuple[list[SwapRequest], list[SwapRequest]]:
    """(what a person asked for, pending or applied and not over; what waits for their answer)."""
    found = await store.not_over(session, states=["pending", "approved"], after=at, person=person)
    mine = [r for r in found if r.requester == person]
    waiting = [r for r in found if r.teammate == person and r.state == "pending"]
    return mine, waiting


async def everyones_requests(session: AsyncSession, *, actor: Person, at: datetime) -> list[SwapRequest]:
    """Every request still pending, or applied and not over: what an admin may cancel or reverse."""
    if not actor.admin:
        raise SwapRefused("only admins list everyone's swaps; `/swap list` shows yours")
    return await store.not_over(session, states=["pending", "approved"], after=at)
