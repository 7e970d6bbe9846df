"""Absences recorded from Slack: who is away, who covers because of it, and taking one back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.handovers import handovers
from bot.core.schedule import resolve
from bot.core.schedule.model import Absence, Rotation, Segment
from bot.core.team import Person
from bot.features.oncall.views import TeamView, schedule_inputs
from bot.store import audit
from bot.store import volunteer_calls as calls
from bot.store.schedule import (
    absences_overlapping,
    add_absence,
    end_absence,
    end_overrides,
    get_absence,
    lock_rotations,
    volunteers_for,
)
from bot.store.volunteer_calls import VolunteerCall

MAX_DAYS = 90


class AbsenceRefused(ValueError):
    """The absence cannot be recorded or taken back as asked; the message says why."""


@dataclass(frozen=True)
class Cover:
    rotation: str
    segment: Segment  # who holds a stretch because of the absence
    otherwise: Segment  # who holds it without the absence


@dataclass(frozen=True)
class AbsenceRecorded:
    id: int
    person: Person
    start: datetime
    end: datetime
    covers: list[Cover]
    reason: str = ""
    actor: str = ""  # who recorded it: the person away, or an admin for them


@dataclass(frozen=True)
class AbsenceCancelled:
    absence: Absence  # as it was recorded
    kept_until: datetime | None  # it was under way: its past stays, up to here; None: removed outright
    covers: list[Cover]  # over the part taken back: `segment` covers no more, `otherwise` holds it again
    calls: list[VolunteerCall]  # its "I'll cover" calls, closed now


def local_span(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """Whole local days, `last` included, as a half-open interval."""
    tz = ZoneInfo(zone)
    return datetime.combine(first, time(), tz), datetime.combine(last + timedelta(days=1), time(), tz)


def rotations_of(view: TeamView, person: str) -> list[Rotation]:
    return [r for r in view.rotations.values() if person in r.members]


async def covers_because_of(
    session: AsyncSession,
    *,
    view: TeamView,
    absence: Absence,
    start: datetime,
    end: datetime,
    rotation: str | None = None,
) -> list[Cover]:
    """Who holds a role over [start, end) because of the absence, its volunteers included: the
    schedule as it is against the same schedule without them."""
    volunteers = {o.seq for o in await volunteers_for(session, absence.id or 0)}
    covers = []
    for rot in rotations_of(view, absence.person):
        if rotation is not None and rot.name != rotation:
            continue
        inputs = await schedule_inputs(session, view=view, rotation=rot, start=start, end=end)
        without = replace(
            inputs,
            absences=[a for a in inputs.absences if a.id != absence.id],
            overrides=[o for o in inputs.overrides if o.seq not in volunteers],
        )
        changed = handovers(
            resolve(rot, start, end, without).segments, resolve(rot, start, end, inputs).segments
        )
        covers += [Cover(rot.name, h.after, h.before) for h in changed]
    return covers


async def record_absence(
    session: AsyncSession,
    *,
    view: TeamView,
    person: Person,
    first: date,
    last: date,
    reason: str,
    actor: str,
    source: str,
    at: datetime,
) -> AbsenceRecorded:
    """Store an absence of whole local days and say who covers what because of it.

    One that has begun already counts from `at`: who was on call before stays as it was, so it is
    stored from then on, and the audit log keeps the day asked for."""
    if last < first:
        raise AbsenceRefused(f"the end {last} is before the start {first}")
    if (last - first).days >= MAX_DAYS:
        raise AbsenceRefused(f"an absence is at most {MAX_DAYS} days; record longer ones in parts")
    asked, end = local_span(first, last, person.timezone or view.file.timezone)
    if end <= at:
        raise AbsenceRefused("that absence is already over")
    start = max(asked, at)
    # Another change to these rotations at the same time waits here, so neither checks a stale schedule.
    await lock_rotations(session, [r.name for r in rotations_of(view, person.id)])
    if await absences_overlapping(session, start=start, end=end, people=[person.id]):
        raise AbsenceRefused("it overlaps an absence already recorded (`/oncall away list`)")
    absence_id = await add_absence(
        session, person=person.id, start=start, end=end, reason=reason, actor=actor, source=source, at=at
    )
    absence = Absence(person.id, start, end, reason, absence_id)
    covers = await covers_because_of(session, view=view, absence=absence, start=start, end=end)
    since = f" (asked from {asked.isoformat()})" if start > asked else ""
    detail = f"#{absence_id}: {start.isoformat()} to {end.isoformat()}{since} {reason}".strip()
    await audit.record(
        session, actor=actor, source=source, action="absence.add", subject=person.id, detail=detail, at=at
    )
    return AbsenceRecorded(absence_id, person, start, end, covers, reason, actor)


async def upcoming(session: AsyncSession, *, person: str | None, at: datetime) -> list[Absence]:
    """A person's (None: everyone's) absences that have not ended yet."""
    people = None if person is None else [person]
    return await absences_overlapping(session, start=at, end=at + timedelta(days=3650), people=people)


async def _own(session: AsyncSession, absence_id: int, actor: Person, at: datetime) -> Absence:
    """The absence, if `actor` may take it back now."""
    absence = await get_absence(session, absence_id)
    if absence is None:
        raise AbsenceRefused(f"there is no absence #{absence_id}")
    if absence.person != actor.id and not actor.admin:
        raise AbsenceRefused(f"absence #{absence_id} is not yours; only admins cancel someone else's")
    if absence.end <= at:
        raise AbsenceRefused(f"absence #{absence_id} is over already; the past stays as it was")
    return absence


async def cancel(
    session: AsyncSession, *, view: TeamView, absence_id: int, actor: Person, at: datetime, source: str
) -> AbsenceCancelled:
    """Take back an absence of one's own (admins: anyone's) from now on: one under way keeps its past.
    Its volunteers' covers go or end with it, and its calls for a volunteer close."""
    absence = await _own(session, absence_id, actor, at)
    await lock_rotations(session, [r.name for r in rotations_of(view, absence.person)])
    covers = await covers_because_of(
        session, view=view, absence=absence, start=max(absence.start, at), end=absence.end
    )
    await end_overrides(
        session, override_ids=[o.seq for o in await volunteers_for(session, absence_id)], at=at
    )
    found = await calls.calls_of(session, absence=absence_id)
    for call in found:
        await calls.close(session, call_id=call.id, at=at)
    removed = await end_absence(session, absence_id=absence_id, at=at)
    detail = (
        f"#{absence_id} removed" if removed else f"#{absence_id} ended at {at.isoformat()}, its past kept"
    )
    await audit.record(
        session,
        actor=actor.id,
        source=source,
        action="absence.cancel",
        subject=absence.person,
        detail=detail,
        at=at,
    )
    return AbsenceCancelled(absence, None if removed else at, covers, found)
