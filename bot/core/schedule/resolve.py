"""Resolving a rotation: plain shifts, then holidays, absences and overrides, into explained segments.

The interval is cut at every instant where something may change (a handoff, a holiday's midnight,
an absence or override boundary); on each piece the rules are applied in order and the result is
merged back into the fewest segments.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.schedule.holidays import holiday_window, holiday_years
from bot.core.schedule.model import (
    Absence,
    HolidayDuty,
    Override,
    Role,
    Rotation,
    ScheduleInputs,
    Segment,
    Shift,
)
from bot.core.schedule.rotation import handoff_instant, shift_at, shifts, zone
from bot.core.schedule.staffing import Hold, Staffing

ROLES = (Role.PRIMARY, Role.BACKUP)


@dataclass(frozen=True)
class Resolution:
    segments: list[Segment]  # sorted by (start, role); per role they tile the asked interval
    duties: list[HolidayDuty] = field(default_factory=list)  # holidays inside the interval

    def at(self, when: datetime, role: Role) -> Segment | None:
        for segment in self.segments:
            if segment.role is role and segment.start <= when < segment.end:
                return segment
        return None

    @property
    def gaps(self) -> list[Segment]:
        return [s for s in self.segments if s.person is None]


@dataclass(frozen=True)
class _HolidayDay:
    duty: HolidayDuty
    start: datetime
    end: datetime


class _Resolver:
    def __init__(self, rotation: Rotation, start: datetime, end: datetime, inputs: ScheduleInputs) -> None:
        self.rotation = rotation
        members = set(rotation.members)
        self.absences = [
            a for a in inputs.absences if a.person in members and a.start < end and a.end > start
        ]
        self.overrides = [
            o
            for o in inputs.overrides
            if o.rotation == rotation.name and o.person in members and o.start < end and o.end > start
        ]
        self.holidays = sorted(self._holiday_days(start, end, inputs), key=lambda h: h.start)
        self.holiday_starts = [h.start for h in self.holidays]
        self.overrides_by_role = {role: [o for o in self.overrides if o.role is role] for role in ROLES}
        self.staffing = Staffing(rotation)

    def _holiday_days(self, start: datetime, end: datetime, inputs: ScheduleInputs) -> list[_HolidayDay]:
        tz = zone(self.rotation.timezone)
        # A daily rotation's holiday may start the evening before: look a day either side.
        first = start.astimezone(tz).date() - timedelta(days=1)
        last = (end - timedelta(microseconds=1)).astimezone(tz).date() + timedelta(days=1)
        years = range(first.year, last.year + 1)
        # Balancing needs whole years and the years before, so plan only when a holiday is in range.
        if not any(first <= h.day <= last for year in years for h in inputs.calendar.holidays_in(year)):
            return []
        planned = holiday_years(self.rotation, last.year, inputs)
        days = []
        for year in years:
            for duty in planned.get(year, []):
                day_start, day_end = holiday_window(self.rotation, duty.holiday.day)
                if day_start < end and day_end > start:
                    days.append(_HolidayDay(duty, day_start, day_end))
        return days

    def cuts(self, start: datetime, end: datetime, plain: list[Shift]) -> list[datetime]:
        points = {start, end}
        points.update(s.start for s in plain)
        spans: list[Absence | Override | _HolidayDay] = [*self.absences, *self.overrides, *self.holidays]
        for item in spans:
            points.update((item.start, item.end))
        return sorted(p for p in points if start <= p <= end)

    def away(self, at: datetime) -> set[str]:
        return {a.person for a in self.absences if a.start <= at < a.end}

    def holiday(self, at: datetime) -> _HolidayDay | None:
        # Holiday days are sorted and never overlap: the last one starting by `at` is the only candidate.
        index = bisect.bisect_right(self.holiday_starts, at) - 1
        return self.holidays[index] if index >= 0 and at < self.holidays[index].end else None

    def override(self, at: datetime, role: Role) -> Override | None:
        found = [o for o in self.overrides_by_role[role] if o.start <= at < o.end]
        return max(found, key=lambda o: o.seq) if found else None

    def holders(self, at: datetime, plain: Shift) -> tuple[Hold, Hold]:
        day = self.holiday(at)
        return self.staffing.holders(
            plain,
            away=self.away(at),
            duty=day.duty if day else None,
            overrides={role: self.override(at, role) for role in ROLES},
        )


def resolve(rotation: Rotation, start: datetime, end: datetime, inputs: ScheduleInputs) -> Resolution:
    """Who holds each role over [start, end) and why; nothing before the rotation's first handoff."""
    start = max(start, handoff_instant(rotation, 0))
    if start >= end:
        return Resolution([])
    plain = shifts(rotation, start, end)
    resolver = _Resolver(rotation, start, end, inputs)
    cuts = resolver.cuts(start, end, plain)
    shift_starts = [s.start for s in plain]
    # Per role: what is held and since when; a segment is written only when that changes.
    holding: dict[Role, tuple[Hold, datetime]] = {}
    done: list[Segment] = []
    for piece_start in cuts[:-1]:
        current = plain[bisect.bisect_right(shift_starts, piece_start) - 1]
        for role, hold in zip(ROLES, resolver.holders(piece_start, current), strict=True):
            previous = holding.get(role)
            if previous is not None and previous[0].explains_as(hold):
                continue
            if previous is not None:
                done.append(_segment(rotation.name, role, previous[0], previous[1], piece_start))
            holding[role] = (hold, piece_start)
    done.extend(_segment(rotation.name, role, hold, since, end) for role, (hold, since) in holding.items())
    done.sort(key=lambda s: (s.start, ROLES.index(s.role)))
    duties = [h.duty for h in resolver.holidays if start <= h.start < end or h.start <= start < h.end]
    return Resolution(done, duties)


def _segment(rotation: str, role: Role, hold: Hold, start: datetime, end: datetime) -> Segment:
    return Segment(rotation, role, hold.person, start, end, hold.reason, hold.detail, hold.instead_of)


def who(rotation: Rotation, at: datetime, inputs: ScheduleInputs) -> tuple[Segment, Segment] | None:
    """The primary and backup at `at`, each known until the end of the shift; None before the start."""
    current = shift_at(rotation, at)
    if current is None:
        return None
    resolution = resolve(rotation, at, current.end, inputs)
    primary, backup = resolution.at(at, Role.PRIMARY), resolution.at(at, Role.BACKUP)
    assert primary is not None and backup is not None
    return primary, backup
