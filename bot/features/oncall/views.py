"""Who is on call, the schedule and holiday duty: the pure engine fed from the store."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import CountryCalendar, Resolution, handoff_instant, resolve, shift_at
from bot.core.schedule.holidays import Tally, holiday_years, tally
from bot.core.schedule.model import (
    Holiday,
    HolidayDuty,
    Reason,
    Role,
    Rotation,
    ScheduleInputs,
    Segment,
    Unit,
    spell,
)
from bot.core.schedule.rotation import first_handoff_date
from bot.core.team import Person, RotationConfig, TeamFile
from bot.store.email_lookups import EmailLookup, email_lookups
from bot.store.holiday_covers import holiday_covers
from bot.store.schedule import absences_overlapping, overrides_overlapping
from bot.store.team import load_team, team_revision


class NoTeam(LookupError):
    """Nothing has been imported yet."""

    def __str__(self) -> str:
        return (
            "no team has been imported yet: run `oncall-bot init`, edit team.yaml, "
            "then `oncall-bot import team.yaml`"
        )


class UnknownRotation(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(name)
        self.name, self.known = name, list(known)

    def __str__(self) -> str:
        return f"unknown rotation {self.name!r} (rotations: {', '.join(self.known) or 'none'})"


REASON_WORDS = {
    Reason.ROTATION: "regular rotation",
    Reason.HOLIDAY: "holiday cover",
    Reason.ABSENCE: "vacation cover",
    Reason.SWAP: "swap",
    Reason.VOLUNTEER: "volunteer",
    Reason.OVERRIDE: "override",
    Reason.GAP: "nobody available",
}


def explain(segment: Segment, name: Callable[[str], str] = str) -> str:
    """Why a person holds a role, in words: "holiday cover: covers Thanksgiving Day for alice";
    `name` writes each member named in it (by default their team-file id)."""
    words = REASON_WORDS[segment.reason]
    return f"{words}: {spell(segment.detail, name)}" if segment.detail else words


@dataclass(frozen=True)
class TeamView:
    """The team as the engine sees it, with the Slack ids found by email, loaded once per request."""

    file: TeamFile
    rotations: dict[str, Rotation]
    calendar: CountryCalendar

    @property
    def people(self) -> dict[str, Person]:
        return {p.id: p for p in self.file.people}

    def config(self, rotation: str) -> RotationConfig:
        return next(r for r in self.file.rotations if r.name == rotation)

    def zone_of(self, who: Person | str | None, *, fallback: str | None = None) -> str:
        """A person's own time zone (by value or id); else `fallback`, else the team's."""
        person = self.people.get(who) if isinstance(who, str) else who
        return (person.timezone if person else None) or fallback or self.file.timezone

    def select(self, rotation: str | None) -> list[Rotation]:
        if rotation is None:
            return list(self.rotations.values())
        if rotation not in self.rotations:
            raise UnknownRotation(rotation, list(self.rotations))
        return [self.rotations[rotation]]


class TeamViews:
    """The team and who is on call, kept between requests.

    Every write that can change the schedule bumps the stored revision, and an answer about who is on
    call holds until its earliest segment ends. The revision is read at most once per `recheck`
    seconds, so a change made by another process shows within that time.
    """

    def __init__(self, *, recheck: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._revision: int | None = None
        self._view: TeamView | None = None
        self._now: list[OnCall] = []
        self._recheck, self._monotonic = recheck, monotonic
        self._checked = -math.inf
        self._rechecking = False

    def invalidate(self) -> None:
        """Reread the revision on the next load: this process has just changed the schedule."""
        self._checked = -math.inf

    async def load(self, session: AsyncSession) -> TeamView:
        fresh = self._monotonic() - self._checked < self._recheck
        # One request rechecks; the others keep the current view meanwhile instead of queueing
        # on the database all at once.
        if self._view is not None and (fresh or self._rechecking):
            return self._view
        self._rechecking = True
        try:
            revision = await team_revision(session)
        finally:
            self._rechecking = False
        self._checked = self._monotonic()
        if revision is None:
            self._view = None
            raise NoTeam()
        if self._view is None or revision != self._revision:
            self._view, self._revision, self._now = await load_view(session), revision, []
        return self._view

    async def on_call(self, session: AsyncSession, *, at: datetime) -> tuple[TeamView, list[OnCall]]:
        """The team and every rotation's primary and backup at `at`, reusing the last answer while valid."""
        view = await self.load(session)
        if not all(_still_holds(answer, at) for answer in self._now) or not self._now:
            self._now = await on_call(session, at=at, view=view)
        return view, [replace(answer, at=at) for answer in self._now]


def _still_holds(answer: OnCall, at: datetime) -> bool:
    held = [s for s in (answer.primary, answer.backup) if s is not None]
    if not held:
        return answer.next_handoff is not None and at < answer.next_handoff
    return all(s.start <= at < s.end for s in held)


@dataclass(frozen=True)
class OnCall:
    rotation: Rotation
    at: datetime
    primary: Segment | None  # None before the rotation's first handoff
    backup: Segment | None
    next_handoff: datetime | None


@dataclass(frozen=True)
class RotationSchedule:
    rotation: Rotation
    resolution: Resolution


def rotation_from_config(config: RotationConfig, team_timezone: str) -> Rotation:
    """The engine's rotation for a team file's rotation."""
    pairs = {} if config.backup == "next" else {p.primary: p.backup for p in config.backup}
    return Rotation(
        name=config.name,
        members=tuple(config.members),
        timezone=config.timezone or team_timezone,
        start=config.start,
        handoff_time=config.handoff.time,
        handoff_weekday=config.handoff.weekday_number,
        unit=Unit(config.unit),
        length=config.length,
        backup_pairs=pairs,
    )


def _with_slack_ids_found(team: TeamFile, lookups: Mapping[str, EmailLookup]) -> TeamFile:
    """The team with the Slack ids found by email given to the people the file gives none."""
    # The file wins: an id it names is never given to anyone else.
    named = {p.slack_id for p in team.people if p.slack_id}
    found = {e: lookup.slack_id for e, lookup in lookups.items() if lookup.slack_id not in named}
    people = [
        p if p.slack_id else p.model_copy(update={"slack_id": found.get(p.email or "")}) for p in team.people
    ]
    return team.model_copy(update={"people": people})


async def load_view(session: AsyncSession) -> TeamView:
    """The imported team, with the Slack ids found by email, its rotations and holiday calendar;
    NoTeam before the first import."""
    team = await load_team(session)
    if team is None:
        raise NoTeam()
    team = _with_slack_ids_found(team, await email_lookups(session))
    settings = team.holidays
    calendar = CountryCalendar(
        settings.country,
        settings.subdivision,
        extra=[Holiday(day=h.date, name=h.name) for h in settings.extra],
    )
    rotations = {r.name: rotation_from_config(r, team.timezone) for r in team.rotations}
    return TeamView(file=team, rotations=rotations, calendar=calendar)


async def schedule_inputs(
    session: AsyncSession, *, view: TeamView, rotation: Rotation, start: datetime, end: datetime
) -> ScheduleInputs:
    """Holidays, absences, overrides and the holiday history the engine needs for `rotation` over
    [start, end)."""
    # Holiday duty is planned year by year from the rotation's start to the end of the year after the
    # interval, so the absences of all those years are needed.
    since = datetime(rotation.start.year - 1, 12, 31, tzinfo=UTC)
    year_end = datetime(end.year + 2, 1, 2, tzinfo=UTC)
    absences = await absences_overlapping(session, start=since, end=year_end, people=rotation.members)
    overrides = await overrides_overlapping(session, start=start, end=end, rotation=rotation.name)
    return ScheduleInputs(
        calendar=view.calendar,
        pinned=dict(view.file.holidays.pinned),
        absences=absences,
        overrides=overrides,
        big_days=dict(view.file.holidays.big_days),
        history=await holiday_covers(session, rotation=rotation.name),
    )


async def on_call(
    session: AsyncSession, *, at: datetime, rotation: str | None = None, view: TeamView | None = None
) -> list[OnCall]:
    """The primary and backup of each rotation (or the one named) at an instant, with why and until when."""
    view = view or await load_view(session)
    answers = []
    for rot in view.select(rotation):
        shift = shift_at(rot, at)
        if shift is None:
            answers.append(OnCall(rot, at, None, None, handoff_instant(rot, 0)))
            continue
        # Resolve to the end of the shift so that each segment knows until when it holds.
        resolution = resolve(
            rot,
            at,
            shift.end,
            await schedule_inputs(session, view=view, rotation=rot, start=at, end=shift.end),
        )
        answers.append(
            OnCall(rot, at, resolution.at(at, Role.PRIMARY), resolution.at(at, Role.BACKUP), shift.end)
        )
    return answers


async def schedule(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    rotation: str | None = None,
    view: TeamView | None = None,
) -> list[RotationSchedule]:
    """Every rotation's (or one's) resolved segments and holiday duties over [start, end)."""
    view = view or await load_view(session)
    return [
        RotationSchedule(
            rot,
            resolve(
                rot, start, end, await schedule_inputs(session, view=view, rotation=rot, start=start, end=end)
            ),
        )
        for rot in view.select(rotation)
    ]


async def holidays_of_year(
    session: AsyncSession, *, year: int, rotation: str | None = None, view: TeamView | None = None
) -> list[tuple[Rotation, list[HolidayDuty]]]:
    """Each rotation's holiday duties over a calendar year."""
    return [
        (r.rotation, r.duties)
        for r in await holiday_records(session, year=year, rotation=rotation, view=view)
    ]


@dataclass(frozen=True)
class HolidayRecord:
    """A rotation's holiday duty of a year, with each member's counts of that year and since the start."""

    rotation: Rotation
    year: int
    duties: list[HolidayDuty]
    this_year: dict[str, Tally]
    since: int  # the first year of the multi-year counts: the rotation's first
    all_years: dict[str, Tally]

    @property
    def started(self) -> bool:
        """Whether the rotation runs in the year at all."""
        return self.year >= self.since


async def holiday_records(
    session: AsyncSession, *, year: int, rotation: str | None = None, view: TeamView | None = None
) -> list[HolidayRecord]:
    """Each rotation's holiday duties over a calendar year, with the counts that explain them."""
    view = view or await load_view(session)
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    records = []
    for rot in view.select(rotation):
        since = first_handoff_date(rot).year
        if year < since:  # nothing to plan or count: no need to read the store
            records.append(HolidayRecord(rot, year, [], {}, since, {}))
            continue
        inputs = await schedule_inputs(session, view=view, rotation=rot, start=start, end=end)
        years = holiday_years(rot, year, inputs)
        duties = years.get(year, [])
        records.append(HolidayRecord(rot, year, duties, tally(rot, {year: duties}), since, tally(rot, years)))
    return records
