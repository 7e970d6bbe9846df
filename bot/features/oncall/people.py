"""People as the bot talks about them: who they are, whether they can be reached, what they hold."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import HolidayDuty, Segment
from bot.core.team import Person, Pipeline
from bot.features.oncall.views import OnCall, TeamView, holidays_of_year, on_call, schedule
from bot.store.schedule import absences_overlapping


@dataclass(frozen=True)
class Availability:
    available: bool
    why: str = ""  # "away (vacation)", "off for Thanksgiving Day"
    until: datetime | None = None


@dataclass(frozen=True)
class PersonSummary:
    person: Person
    shifts: list[Segment]  # upcoming primary and backup segments
    duties: list[HolidayDuty]  # upcoming holiday duties
    owns: list[tuple[Pipeline, str]]  # (pipeline, "primary" | "secondary")
    availability: Availability


def person_by_slack_id(view: TeamView, slack_id: str) -> Person | None:
    return next((p for p in view.file.people if p.slack_id == slack_id), None)


async def availability(
    session: AsyncSession, *, view: TeamView, people: Collection[str], at: datetime, on_call_now: list[OnCall]
) -> dict[str, Availability]:
    """Whether each person can be reached at `at`: not away, and not off for a holiday unless on call."""
    absences = await absences_overlapping(
        session, start=at, end=at + timedelta(microseconds=1), people=people
    )
    result = {pid: Availability(True) for pid in people}
    holding = {seg.person for answer in on_call_now for seg in (answer.primary, answer.backup) if seg}
    today = at.astimezone(ZoneInfo(view.file.timezone)).date()
    holiday = next((h for h in view.calendar.holidays_in(today.year) if h.day == today), None)
    if holiday:
        for pid in people:
            if pid not in holding:
                result[pid] = Availability(False, f"off for {holiday.name}")
    for absence in absences:
        reason = f" ({absence.reason})" if absence.reason else ""
        result[absence.person] = Availability(False, f"away{reason}", absence.end)
    return result


async def summarize(
    session: AsyncSession, *, view: TeamView, person: Person, at: datetime, weeks: int = 8
) -> PersonSummary:
    """A person's next shifts, holiday duties and pipelines."""
    end = at + timedelta(weeks=weeks)
    shifts = [
        seg
        for item in await schedule(session, start=at, end=end, view=view)
        for seg in item.resolution.segments
        if seg.person == person.id
    ]
    duties = [
        duty
        for year in sorted({at.year, end.year})
        for _, year_duties in await holidays_of_year(session, year=year, view=view)
        for duty in year_duties
        if duty.person == person.id and duty.holiday.day >= at.astimezone(UTC).date()
    ]
    owns = [
        (p, role)
        for p in view.file.pipelines
        for role, owner in (("primary", p.primary), ("secondary", p.secondary))
        if owner == person.id
    ]
    now = await on_call(session, at=at, view=view)
    reach = await availability(session, view=view, people=[person.id], at=at, on_call_now=now)
    return PersonSummary(person, shifts, duties, owns, reach[person.id])


def rotations_of(view: TeamView, person: Person | None) -> list[str]:
    """The rotations a person belongs to; all of them when they belong to none."""
    mine = [r.name for r in view.rotations.values() if person and person.id in r.members]
    return mine or list(view.rotations)
