"""Absences recorded from Slack: who is away, and who covers because of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.schedule import resolve
from bot.schedule.model import Absence, Override, Reason, Role, Segment
from bot.services.oncall import TeamView, schedule_inputs
from bot.store import audit, ledger
from bot.store.models import AbsenceRow
from bot.store.schedule import absences_overlapping, add_absence, add_override, lock_rotations
from bot.store.team import bump_revision
from bot.teamfile.schema import Person

MAX_DAYS = 90


class VolunteerOffer(BaseModel):
    """The button value of an "I'll cover" call: which backup stretch, until when it is open."""

    absence: int
    rotation: str
    start: datetime
    end: datetime
    deadline: datetime

    @property
    def key(self) -> str:
        return f"volunteer:{self.absence}:{self.rotation}:{self.start.isoformat()}"


class AbsenceRefused(ValueError):
    """The absence cannot be recorded as asked; the message says why."""


@dataclass(frozen=True)
class Cover:
    rotation: str
    segment: Segment  # a stretch someone now holds because of the absence


@dataclass(frozen=True)
class AbsenceRecorded:
    id: int
    person: Person
    start: datetime
    end: datetime
    covers: list[Cover]


def local_span(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """Whole local days, `last` included, as a half-open interval."""
    tz = ZoneInfo(zone)
    return datetime.combine(first, time(), tz), datetime.combine(last + timedelta(days=1), time(), tz)


async def _segments(
    session: AsyncSession, view: TeamView, person: str, start: datetime, end: datetime
) -> dict[str, list[Segment]]:
    found = {}
    for rotation in (r for r in view.rotations.values() if person in r.members):
        inputs = await schedule_inputs(session, view=view, rotation=rotation, start=start, end=end)
        found[rotation.name] = resolve(rotation, start, end, inputs).segments
    return found


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
    """Store an absence of whole local days and say who covers what because of it."""
    if last < first:
        raise AbsenceRefused(f"the end {last} is before the start {first}")
    if (last - first).days >= MAX_DAYS:
        raise AbsenceRefused(f"an absence is at most {MAX_DAYS} days; record longer ones in parts")
    start, end = local_span(first, last, person.timezone or view.file.timezone)
    if end <= at:
        raise AbsenceRefused("that absence is already over")
    # Another change to these rotations at the same time waits here, so neither checks a stale schedule.
    await lock_rotations(session, [r.name for r in view.rotations.values() if person.id in r.members])
    if await absences_overlapping(session, start=start, end=end, people=[person.id]):
        raise AbsenceRefused("it overlaps an absence already recorded (`/oncall away list`)")
    before = await _segments(session, view, person.id, start, end)
    absence_id = await add_absence(
        session, person=person.id, start=start, end=end, reason=reason, actor=actor, source=source, at=at
    )
    after = await _segments(session, view, person.id, start, end)
    covers = [
        Cover(rotation, s)
        for rotation, segments in after.items()
        for s in segments
        if s.reason is Reason.ABSENCE and s not in before.get(rotation, []) and s.person
    ]
    detail = f"{start.isoformat()} to {end.isoformat()} {reason}".strip()
    await audit.record(
        session, actor=actor, source=source, action="absence.add", subject=person.id, detail=detail, at=at
    )
    return AbsenceRecorded(absence_id, person, start, end, covers)


async def upcoming(session: AsyncSession, *, person: str, at: datetime) -> list[Absence]:
    """A person's absences that have not ended yet."""
    return await absences_overlapping(session, start=at, end=at + timedelta(days=3650), people=[person])


async def cancel(
    session: AsyncSession, *, absence_id: int, actor: Person, at: datetime, source: str
) -> Absence:
    """Remove an absence of one's own (admins: anyone's)."""
    row = await session.scalar(select(AbsenceRow).where(AbsenceRow.id == absence_id))
    if row is None:
        raise AbsenceRefused(f"there is no absence #{absence_id}")
    if row.person_id != actor.id and not actor.admin:
        raise AbsenceRefused(f"absence #{absence_id} is not yours; only admins cancel someone else's")
    absence = Absence(row.person_id, row.starts_at, row.ends_at, row.reason, row.id)
    await session.execute(delete(AbsenceRow).where(AbsenceRow.id == absence_id))
    await bump_revision(session)
    await audit.record(
        session,
        actor=actor.id,
        source=source,
        action="absence.cancel",
        subject=row.person_id,
        detail=f"#{absence_id}",
        at=at,
    )
    return absence


async def volunteer(
    session: AsyncSession,
    *,
    view: TeamView,
    offer: VolunteerOffer,
    person: Person,
    at: datetime,
    channel: str,
    ts: str,
    source: str,
) -> None:
    """Take an offered backup stretch: the first volunteer wins, and only someone free to take it."""
    if at >= offer.deadline:
        raise AbsenceRefused("this call for a volunteer has closed; the schedule stays as announced")
    rotation = view.rotations.get(offer.rotation)
    absent = await session.scalar(select(AbsenceRow.person_id).where(AbsenceRow.id == offer.absence))
    if rotation is None or absent is None:
        raise AbsenceRefused("that absence or rotation no longer exists")
    if person.id not in rotation.members or person.id == absent:
        raise AbsenceRefused(f"only another member of {rotation.name} can cover this")
    if await absences_overlapping(session, start=offer.start, end=offer.end, people=[person.id]):
        raise AbsenceRefused("you are away during that time yourself")
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=offer.start, end=offer.end)
    if any(
        s.person == person.id and s.role is Role.PRIMARY
        for s in resolve(rotation, offer.start, offer.end, inputs).segments
    ):
        raise AbsenceRefused("you are primary during that time; a backup must be someone else")
    if not await ledger.claim(session, key=offer.key, job="volunteer", owner=person.id, now=at):
        raise AbsenceRefused("someone else volunteered first")
    await ledger.mark_sent(session, key=offer.key, channel=channel, ts=ts, now=at)
    cover = Override(
        offer.rotation,
        Role.BACKUP,
        person.id,
        offer.start,
        offer.end,
        Reason.VOLUNTEER,
        note=f"volunteered for absence #{offer.absence}",
    )
    await add_override(session, override=cover, actor=person.id, source=source, at=at)
    await audit.record(
        session,
        actor=person.id,
        source=source,
        action="absence.volunteer",
        subject=offer.rotation,
        detail=f"#{offer.absence}",
        at=at,
    )
    await session.commit()
