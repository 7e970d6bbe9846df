"""Calls for a volunteer when an absence made the engine pick a backup, and their deadline.

The channel is asked first; the first volunteer for a stretch wins, recorded as an override tied to
the absence. When the deadline passes with a stretch nobody took, the engine's choice stands and is
announced, once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.handovers import Handover, handovers
from bot.core.schedule import resolve
from bot.core.schedule.model import Absence, Override, Reason, Role, Segment
from bot.core.team import Person
from bot.features.absences.service import AbsenceRecorded, AbsenceRefused, Cover, covers_because_of
from bot.features.oncall.views import TeamView, schedule_inputs
from bot.store import audit, swaps
from bot.store import volunteer_calls as store
from bot.store.schedule import (
    absences_overlapping,
    add_override,
    get_absence,
    lock_rotations,
    overrides_overlapping,
    volunteers_for,
)
from bot.store.volunteer_calls import VolunteerCall

VOLUNTEER_WINDOW = timedelta(hours=24)  # open until the absence starts, at most this long
LEAST_WINDOW = timedelta(hours=1)  # and at least this long, unless a stretch ends sooner
SCHEDULER = "scheduler"


class VolunteerOffer(BaseModel):
    """The button value of an "I'll cover" call: which backup stretch, until when it is open."""

    absence: int
    rotation: str
    start: datetime
    end: datetime
    deadline: datetime
    settled_by: int | None = None  # the swap that settled this stretch's backup: no longer offered


@dataclass(frozen=True)
class CallPost:
    """What a call's channel post shows: who covers now, who volunteered, what is still offered."""

    call: VolunteerCall
    absent: str
    covers: list[Cover]
    taken: list[tuple[VolunteerOffer, str]]  # each stretch taken, with its volunteer
    settled: list[VolunteerOffer]  # each stretch whose backup a swap settled
    untaken: list[VolunteerOffer]  # neither

    @property
    def open(self) -> list[VolunteerOffer]:
        """Still offered; nothing once the call is closed."""
        return self.untaken if self.call.state == "open" else []


@dataclass(frozen=True)
class Volunteered:
    post: CallPost  # as it stands after this volunteer
    offer: VolunteerOffer
    volunteer: str
    changes: list[Handover]  # every role over the stretch that changed hands because of it


@dataclass(frozen=True)
class Closing:
    """A call at its deadline: who the engine keeps as backup over the stretches nobody took (none:
    every stretch was taken or settled)."""

    post: CallPost
    stands: list[Segment]


def volunteer_offers(recorded: AbsenceRecorded, at: datetime) -> dict[str, list[VolunteerOffer]]:
    """Per rotation, the backup stretches the engine had to fill, offered until the deadline: when the
    absence starts, but at least an hour (a volunteer takes over from their click on) and at most a
    day, and never past the end of the first stretch."""
    stretches = [c for c in recorded.covers if c.segment.role is Role.BACKUP]
    if not stretches:
        return {}
    deadline = min(
        at + VOLUNTEER_WINDOW,
        max(recorded.start, at + LEAST_WINDOW),
        min(c.segment.end for c in stretches),
    )
    offers: dict[str, list[VolunteerOffer]] = {}
    for cover in stretches:
        offers.setdefault(cover.rotation, []).append(
            VolunteerOffer(
                absence=recorded.id,
                rotation=cover.rotation,
                start=cover.segment.start,
                end=cover.segment.end,
                deadline=deadline,
            )
        )
    return offers


def taken_by(offer: VolunteerOffer, volunteers: Sequence[Override]) -> Override | None:
    """The volunteer who took (the rest of) an offered stretch."""
    return next(
        (
            v
            for v in volunteers
            if v.rotation == offer.rotation and v.start < offer.end and offer.start < v.end
        ),
        None,
    )


async def open_calls(
    session: AsyncSession,
    *,
    view: TeamView,
    recorded: AbsenceRecorded,
    offers: Mapping[str, Sequence[VolunteerOffer]],
) -> dict[str, int]:
    """Store the calls with the absence, before the channel is asked; their ids by rotation."""
    opened = {}
    for rotation, found in offers.items():
        if found:
            opened[rotation] = await store.add_call(
                session,
                absence=recorded.id,
                rotation=rotation,
                channel=view.config(rotation).channel,
                deadline=found[0].deadline,
                offers=[offer.model_dump(mode="json") for offer in found],
            )
    return opened


async def call_post(
    session: AsyncSession, *, view: TeamView, call: VolunteerCall, absence: Absence
) -> CallPost:
    """A call's post as things stand: the covers with every volunteer so far, and what is left."""
    covers = await covers_because_of(
        session, view=view, absence=absence, start=absence.start, end=absence.end, rotation=call.rotation
    )
    volunteers = await volunteers_for(session, call.absence)
    taken, settled, untaken = [], [], []
    for offer in map(VolunteerOffer.model_validate, call.offers):
        if found := taken_by(offer, volunteers):
            taken.append((offer, found.person))
        elif offer.settled_by is not None:
            settled.append(offer)
        else:
            untaken.append(offer)
    return CallPost(call, absence.person, covers, taken, settled, untaken)


async def _holders(session: AsyncSession, view: TeamView, offer: VolunteerOffer) -> list[Segment]:
    """Who holds each role over an offered stretch now."""
    rotation = view.rotations[offer.rotation]
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=offer.start, end=offer.end)
    return resolve(rotation, offer.start, offer.end, inputs).segments


async def _settled_by(
    session: AsyncSession, stretch: VolunteerOffer, volunteers: Sequence[Override]
) -> str | None:
    """What else holds the backup over the stretch, in words (a swap, by its number): a volunteer
    must not undo it, as the newest override would."""
    ours = {v.seq for v in volunteers}
    found = await overrides_overlapping(
        session, start=stretch.start, end=stretch.end, rotation=stretch.rotation
    )
    others = [o for o in found if o.role is Role.BACKUP and o.seq not in ours]
    if not others:
        return None
    newest = others[-1]
    swap = await swaps.applied_with(
        session, rotation=newest.rotation, override_id=newest.seq, start=newest.start, end=newest.end
    )
    return f"swap #{swap.id}" if swap else f"an override ({newest.note or newest.reason.value})"


async def _open_offer(
    session: AsyncSession, view: TeamView, offer: VolunteerOffer, person: Person, at: datetime
) -> tuple[VolunteerCall, Absence, VolunteerOffer]:
    """The call, its absence and what is left of the stretch, if `person` may take it now."""
    rotation = view.rotations.get(offer.rotation)
    found = await store.calls_of(session, absence=offer.absence, rotation=offer.rotation)
    absence = await get_absence(session, offer.absence)
    if rotation is None or not found or absence is None:
        raise AbsenceRefused("that absence was taken back, so no cover is needed any more")
    call = found[0]
    if call.state != "open" or at >= call.deadline:
        raise AbsenceRefused("this call for a volunteer has closed; the schedule stays as announced")
    stored = next(
        (o for o in map(VolunteerOffer.model_validate, call.offers) if o.start == offer.start), None
    )
    if stored is None:
        raise AbsenceRefused("that stretch is not one this call offers")
    if person.id not in rotation.members or person.id == absence.person:
        raise AbsenceRefused(f"only another member of {rotation.name} can cover this")
    volunteers = await volunteers_for(session, absence.id or 0)
    if taken_by(stored, volunteers):
        raise AbsenceRefused("someone else volunteered first")
    # From the click on (the deadline comes before any stretch ends): who was backup before stays.
    rest = stored.model_copy(update={"start": max(stored.start, at)})
    if settled := await _settled_by(session, rest, volunteers):
        raise AbsenceRefused(f"that time's backup was settled by {settled}")
    if await absences_overlapping(session, start=rest.start, end=rest.end, people=[person.id]):
        raise AbsenceRefused("you are away during that time yourself")
    return call, absence, rest


async def volunteer(
    session: AsyncSession, *, view: TeamView, offer: VolunteerOffer, person: Person, at: datetime, source: str
) -> Volunteered:
    """Take an offered backup stretch: the first volunteer wins, and only someone free to take it.
    The check and the override are one transaction, with the rotation held, so a crash leaves nothing
    half done and two clicks at once are decided one after the other."""
    await lock_rotations(session, [offer.rotation])
    call, absence, stretch = await _open_offer(session, view, offer, person, at)
    before = await _holders(session, view, stretch)
    if any(s.person == person.id and s.role is Role.PRIMARY for s in before):
        raise AbsenceRefused("you are primary during that time; a backup must be someone else")
    cover = Override(
        stretch.rotation,
        Role.BACKUP,
        person.id,
        stretch.start,
        stretch.end,
        Reason.VOLUNTEER,
        note=f"volunteered for absence #{stretch.absence}",
    )
    await add_override(
        session, override=cover, actor=person.id, source=source, at=at, absence=stretch.absence
    )
    await audit.record(
        session,
        actor=person.id,
        source=source,
        action="absence.volunteer",
        subject=stretch.rotation,
        detail=f"#{stretch.absence}: backup {stretch.start.isoformat()} to {stretch.end.isoformat()}",
        at=at,
    )
    changes = handovers(before, await _holders(session, view, stretch))
    post = await call_post(session, view=view, call=call, absence=absence)
    await session.commit()
    return Volunteered(post, stretch, person.id, changes)


async def _closing(session: AsyncSession, view: TeamView, call: VolunteerCall) -> Closing:
    """The call's post, and who stays backup over what nobody took."""
    absence = await get_absence(session, call.absence)
    assert absence is not None  # a call goes with its absence
    post = await call_post(session, view=view, call=call, absence=absence)
    stands = [s for o in post.untaken for s in await _holders(session, view, o) if s.role is Role.BACKUP]
    return Closing(post, stands)


async def _close(session: AsyncSession, view: TeamView, call: VolunteerCall, at: datetime) -> Closing | None:
    """Close one call past its deadline, if no one else did; with what nobody took."""
    await lock_rotations(session, [call.rotation])  # a volunteer clicking right now goes first, or after
    if not await store.close(session, call_id=call.id, at=at):
        await session.rollback()
        return None
    [closed] = await store.calls_of(session, absence=call.absence, rotation=call.rotation)
    closing = await _closing(session, view, closed)
    if closing.stands:
        names = ", ".join(sorted({s.person or "nobody" for s in closing.stands}))
        await audit.record(
            session,
            actor=SCHEDULER,
            source=SCHEDULER,
            action="absence.no_volunteer",
            subject=call.rotation,
            detail=f"#{call.absence}: nobody volunteered; backup stays {names}",
            at=at,
        )
    await session.commit()
    return closing


async def close_due(session: AsyncSession, *, view: TeamView, at: datetime) -> list[Closing]:
    """Close every call past its deadline, once; those this call closed."""
    closed = [await _close(session, view, call, at) for call in await store.due(session, at=at)]
    return [c for c in closed if c is not None]


async def due_calls(session: AsyncSession, *, view: TeamView, at: datetime) -> list[Closing]:
    """What closing the calls past their deadline at `at` would do; nothing changes."""
    return [await _closing(session, view, call) for call in await store.due(session, at=at)]
