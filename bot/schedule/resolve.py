"""Resolving a rotation: plain shifts, then holidays, absences and overrides, into explained segments.

The interval is cut at every instant where something may change (a handoff, a holiday's midnight,
an absence or override boundary); on each piece the rules are applied in order and the result is
merged back into the fewest segments.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.schedule.holidays import holiday_duties
from bot.schedule.model import (
    Absence,
    HolidayDuty,
    Override,
    Reason,
    Role,
    Rotation,
    ScheduleInputs,
    Segment,
    Shift,
)
from bot.schedule.rotation import handoff_instant, index_at, local_midnight, shift_at, shifts, zone

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


@dataclass
class _Hold:
    person: str | None
    reason: Reason
    detail: str = ""
    instead_of: str | None = None
    seq: int = -1  # the override's seq when an override set it

    def explains_as(self, other: _Hold) -> bool:
        """Same person for the same reason: adjacent pieces merge into one segment."""
        return (self.person, self.reason, self.detail, self.instead_of) == (
            other.person,
            other.reason,
            other.detail,
            other.instead_of,
        )

    def segment(self, rotation: str, role: Role, start: datetime, end: datetime) -> Segment:
        return Segment(rotation, role, self.person, start, end, self.reason, self.detail, self.instead_of)


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
        self._year_starts: dict[int, int] = {}

    def _holiday_days(self, start: datetime, end: datetime, inputs: ScheduleInputs) -> list[_HolidayDay]:
        tz = zone(self.rotation.timezone)
        first, last = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
        days = []
        for year in range(first.year, last.year + 1):
            # Balancing needs the whole year, so only compute it for years with a holiday in range.
            if not any(first <= h.day <= last for h in inputs.calendar.holidays_in(year)):
                continue
            for duty in holiday_duties(self.rotation, year, inputs):
                day_start = local_midnight(duty.holiday.day, self.rotation.timezone)
                day_end = local_midnight(duty.holiday.day + timedelta(days=1), self.rotation.timezone)
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

    def replacement(self, at: datetime, plain: Shift, exclude: set[str]) -> str | None:
        """The available member who was on call least recently (ties: fewest shifts this year)."""
        rot, n = self.rotation, len(self.rotation.members)
        current = plain.index
        first_this_year = self._first_index_of_year(at.astimezone(zone(rot.timezone)).year)

        best: tuple[int, int, int, str] | None = None
        for position, member in enumerate(rot.members):
            if member in exclude:
                continue
            last = current - ((current - position) % n)  # their latest primary shift, maybe < 0 (never)
            this_year = 0 if last < first_this_year else (last - first_this_year) // n + 1
            key = (last, this_year, (position - current) % n, member)
            best = key if best is None or key < best else best
        return best[3] if best else None

    def _first_index_of_year(self, year: int) -> int:
        if year not in self._year_starts:
            start = local_midnight(date(year, 1, 1), self.rotation.timezone)
            self._year_starts[year] = max(index_at(self.rotation, start), 0)
        return self._year_starts[year]

    def piece(self, at: datetime, plain: Shift) -> tuple[_Hold, _Hold]:
        """Who holds each role on a piece starting at `at`, by the rules in order."""
        away = self.away(at)
        day = self.holiday(at)
        off = {plain.primary} if day else set()
        primary = self._claim(at, Role.PRIMARY, plain.primary)
        if primary.seq < 0 and day is not None:
            cover, name = day.duty.person, day.duty.holiday.name
            primary = _Hold(
                cover,
                Reason.HOLIDAY if cover else Reason.GAP,
                f"covers {name} for {plain.primary}",
                plain.primary,
            )
        backup = self._claim(at, Role.BACKUP, plain.backup)
        if primary.person in away:
            # The absent primary's time goes to the backup, whose slot is refilled below.
            absent = primary.person
            taker = backup.person if backup.person not in away else None
            taker = taker or self.replacement(at, plain, away | off)
            primary = _Hold(taker, Reason.ABSENCE if taker else Reason.GAP, f"{absent} away", plain.primary)
        if primary.person is not None and primary.person == backup.person and backup.seq > primary.seq:
            replaced = self.replacement(at, plain, away | off | {backup.person})
            primary = _Hold(
                replaced,
                primary.reason if replaced else Reason.GAP,
                f"{backup.person} is backup",
                plain.primary,
            )
        if backup.person is None or backup.person in away | off or backup.person == primary.person:
            backup = self._refill_backup(at, plain, primary, backup.person, away, off)
        return primary, backup

    def _claim(self, at: datetime, role: Role, plain_holder: str) -> _Hold:
        if (o := self.override(at, role)) is not None:
            return _Hold(o.person, o.reason, o.note, plain_holder, o.seq)
        return _Hold(plain_holder, Reason.ROTATION)

    def _refill_backup(
        self, at: datetime, plain: Shift, primary: _Hold, was: str | None, away: set[str], off: set[str]
    ) -> _Hold:
        person = self.replacement(at, plain, away | off | {primary.person or ""})
        # Say why the usual backup is not backup: away, off for the holiday, or holding the primary role.
        if was in away:
            reason, detail = Reason.ABSENCE, f"{was} away"
        elif was in off:
            reason, detail = Reason.HOLIDAY, f"{was} is off for the holiday"
        elif primary.reason is Reason.HOLIDAY:
            reason, detail = Reason.HOLIDAY, f"while {was} covers the holiday"
        else:
            reason, detail = primary.reason, f"while {was} is primary"
        return _Hold(person, reason if person else Reason.GAP, detail, plain.backup)


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
    holding: dict[Role, tuple[_Hold, datetime]] = {}
    done: list[Segment] = []
    for piece_start in cuts[:-1]:
        current = plain[bisect.bisect_right(shift_starts, piece_start) - 1]
        for role, hold in zip(ROLES, resolver.piece(piece_start, current), strict=True):
            previous = holding.get(role)
            if previous is not None and previous[0].explains_as(hold):
                continue
            if previous is not None:
                done.append(previous[0].segment(rotation.name, role, previous[1], piece_start))
            holding[role] = (hold, piece_start)
    done.extend(hold.segment(rotation.name, role, since, end) for role, (hold, since) in holding.items())
    done.sort(key=lambda s: (s.start, ROLES.index(s.role)))
    duties = [h.duty for h in resolver.holidays if start <= h.start < end or h.start <= start < h.end]
    return Resolution(done, duties)


def who(rotation: Rotation, at: datetime, inputs: ScheduleInputs) -> tuple[Segment, Segment] | None:
    """The primary and backup at `at`, each known until the end of the shift; None before the start."""
    current = shift_at(rotation, at)
    if current is None:
        return None
    resolution = resolve(rotation, at, current.end, inputs)
    primary, backup = resolution.at(at, Role.PRIMARY), resolution.at(at, Role.BACKUP)
    assert primary is not None and backup is not None
    return primary, backup
