"""Holiday duty: who covers each holiday, fair within each year and across the years.

On a holiday the shift's primary is off and someone covers it. In order of precedence:
- a pinned assignment wins, then a recorded cover (what happened);
- nobody covers while away, nor on a day they are the shift's primary;
- nobody covers the same holiday two years running where someone else could;
- the big days (see big_days.py) are spread so that over any run of years their weighted counts
  differ by at most the heaviest weight;
- the other holidays go to whoever has the fewest of the year (then of the earlier years), the
  shift's backup among equals, and the year is rebalanced so that counts differ by at most one.
A weekend holiday and its observed weekday are one holiday: one person covers both, counted once.
The years are planned in order from the rotation's first, each from what the earlier ones left.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.schedule import big_days
from bot.core.schedule.balance import rebalance
from bot.core.schedule.model import Absence, Holiday, HolidayDuty, Rotation, ScheduleInputs, Unit
from bot.core.schedule.rotation import (
    backup_of,
    first_handoff_date,
    index_at,
    local_midnight,
    primary_of,
    wall_to_instant,
    zone,
)

OBSERVED = " (observed)"


def holiday_key(name: str) -> str:
    """The same holiday across years and its observed day: the name without "(observed)"."""
    return "; ".join(part.removesuffix(OBSERVED) for part in name.split("; "))


def holiday_window(rotation: Rotation, day: date) -> tuple[datetime, datetime]:
    """The time a holiday's cover holds.

    In a weekly rotation, the calendar day. In a daily one, a day from handoff to handoff: from the
    handoff time at or before the holiday's noon, so with one-day shifts the cover takes the whole
    shift in force at noon and no shift is cut at midnight.
    """
    if rotation.unit is Unit.WEEKLY:
        return local_midnight(day, rotation.timezone), local_midnight(
            day + timedelta(days=1), rotation.timezone
        )
    tz = zone(rotation.timezone)
    begin = day if rotation.handoff_time <= time(12) else day - timedelta(days=1)
    return (
        wall_to_instant(datetime.combine(begin, rotation.handoff_time), tz),
        wall_to_instant(datetime.combine(begin + timedelta(days=1), rotation.handoff_time), tz),
    )


@dataclass(frozen=True)
class _Day:
    holiday: Holiday
    off: str  # the shift's primary, who is off
    backup: str
    eligible: tuple[str, ...]  # members who may cover it, in rotation order after the primary


@dataclass(frozen=True, eq=False)
class _Occasion:
    """One holiday to cover: a day, or a weekend day with its observed weekday."""

    key: str
    year: int  # the holiday's own year, also when it is observed on the last day of the year before
    days: tuple[_Day, ...]
    eligible: tuple[str, ...]
    weight: int  # the big-day weight, 0 for an ordinary holiday

    @property
    def backup(self) -> str:
        return next((d.backup for d in self.days if d.backup in self.eligible), self.days[0].backup)

    @property
    def main(self) -> date:
        """The holiday itself rather than its observed day: the day that counts."""
        return next((d for d in self.days if OBSERVED not in d.holiday.name), self.days[0]).holiday.day


def _away(start: datetime, end: datetime, absences: tuple[Absence, ...]) -> set[str]:
    """Everyone away at any moment of [start, end)."""
    return {a.person for a in absences if a.start < end and a.end > start}


def _days(rotation: Rotation, year: int, inputs: ScheduleInputs) -> list[_Day]:
    tz = zone(rotation.timezone)
    first = first_handoff_date(rotation)
    members = set(rotation.members)
    absences = tuple(a for a in inputs.absences if a.person in members)
    days = []
    for holiday in inputs.calendar.holidays_in(year):
        if holiday.day < first:
            continue
        # The day belongs to the shift in force at noon, so a holiday Monday with a morning handoff
        # is covered for the incoming shift.
        index = index_at(rotation, wall_to_instant(datetime.combine(holiday.day, time(12)), tz))
        if index < 0:
            continue
        primary, backup = primary_of(rotation, index), backup_of(rotation, index)
        order = rotation.members.index(primary)
        ring = rotation.members[order + 1 :] + rotation.members[:order]
        away = _away(*holiday_window(rotation, holiday.day), absences)
        days.append(_Day(holiday, primary, backup, tuple(m for m in ring if m not in away)))
    return days


def _occasions(rotation: Rotation, last_year: int, inputs: ScheduleInputs) -> list[_Occasion]:
    """Every holiday to cover up to `last_year`, observed days joined to their holidays."""
    first_year = first_handoff_date(rotation).year
    days = [d for year in range(first_year, last_year + 1) for d in _days(rotation, year, inputs)]
    big = {name.casefold(): weight for name, weight in inputs.big_days.items()}
    groups: list[list[_Day]] = []
    for day in days:
        key = holiday_key(day.holiday.name)
        partner = next(
            (
                g
                for g in groups[-3:]
                if holiday_key(g[0].holiday.name) == key
                and len(g) == 1
                and (OBSERVED in g[0].holiday.name) != (OBSERVED in day.holiday.name)
                and day.holiday.day - g[0].holiday.day <= timedelta(days=7)
            ),
            None,
        )
        if partner is not None:
            partner.append(day)
        else:
            groups.append([day])
    found = []
    for group in groups:
        # Nobody free on both days: each day is covered on its own.
        parts = [group] if _shared(group) or len(group) == 1 else [[d] for d in group]
        for part in parts:
            own = next((d for d in part if OBSERVED not in d.holiday.name), part[0]).holiday
            key = holiday_key(own.name)
            weight = max((big.get(k.casefold(), 0) for k in key.split("; ")), default=0)
            if own.day.year <= last_year:
                found.append(_Occasion(key, own.day.year, tuple(part), _shared(part), weight))
    return found


def _shared(days: list[_Day]) -> tuple[str, ...]:
    """Who may cover every one of the days, in the first day's order."""
    if len(days) == 1:
        return days[0].eligible
    free = set(days[0].eligible).intersection(*(d.eligible for d in days[1:]))
    return tuple(m for m in days[0].eligible if m in free)


@dataclass
class _Past:
    """What the years planned so far left behind."""

    covers: dict[tuple[str, int], str]  # (holiday key, year) -> who covered it
    big: list[tuple[int, date, str, str, int]]  # (year, day, key, person, weight) of each big day
    totals: Counter[str]  # holidays covered in the earlier years


class _Planner:
    def __init__(self, rotation: Rotation, inputs: ScheduleInputs) -> None:
        self.rotation, self.inputs = rotation, inputs
        members = set(rotation.members)
        self.pins = {d: p for d, p in inputs.pinned.items() if p in members}
        self.recorded = {c.day: c.person for c in inputs.history}
        self.limit = max(inputs.big_days.values(), default=1)
        self.past = _Past({}, [], Counter())
        self.first_year = first_handoff_date(rotation).year

    def plan(self, last_year: int) -> dict[int, list[HolidayDuty]]:
        """Every year's duties from the rotation's first year to `last_year`, by the year of the day.

        The year after is planned too: its New Year's Day may be observed on the last day of this one.
        """
        by_year: dict[int, list[_Occasion]] = {}
        # One year more again: each year's big days look at the next year's (see big_days.py).
        for occasion in _occasions(self.rotation, last_year + 2, self.inputs):
            by_year.setdefault(occasion.year, []).append(occasion)
        duties: dict[int, list[HolidayDuty]] = {y: [] for y in range(self.first_year, last_year + 1)}
        for year in range(self.first_year, last_year + 2):
            for duty in self._year(year, by_year.get(year, []), by_year.get(year + 1, [])):
                if duty.holiday.day.year in duties:
                    duties[duty.holiday.day.year].append(duty)
        return {y: sorted(d, key=lambda duty: duty.holiday.day) for y, d in duties.items()}

    def _fixed(self, occasion: _Occasion) -> tuple[str, str] | None:
        for day in occasion.days:
            if day.holiday.day in self.pins:
                return self.pins[day.holiday.day], "pinned in the team file"
        for day in occasion.days:
            if day.holiday.day in self.recorded:
                return self.recorded[day.holiday.day], "as recorded"
        return None

    def _last_cover(self, occasion: _Occasion, year: int) -> str | None:
        return self.past.covers.get((occasion.key, year - 1))

    def _without_repeat(self, occasion: _Occasion, year: int) -> tuple[str, ...]:
        """Who may cover it, leaving out last year's cover of the same holiday where someone else can."""
        last = self._last_cover(occasion, year)
        others = tuple(m for m in occasion.eligible if m != last)
        return others or occasion.eligible

    def _year(self, year: int, occasions: list[_Occasion], next_year: list[_Occasion]) -> list[HolidayDuty]:
        ahead = self._next_big_days(next_year)
        assigned, why = self._plan_year(year, occasions, ahead, scarce=False)
        if _spread(self.rotation, assigned) > 1 and any(o.weight for o in occasions):
            # The big days went to people who then had too few other days to even the year out: give
            # them to those who can cover the fewest of the year's other holidays instead, if it helps.
            retry, retry_why = self._plan_year(year, occasions, ahead, scarce=True)
            if _spread(self.rotation, retry) < _spread(self.rotation, assigned):
                assigned, why = retry, retry_why
        return self._record(year, occasions, assigned, why)

    def _next_big_days(self, occasions: list[_Occasion]) -> list[tuple[tuple[str, ...], int]]:
        """Who may cover each of next year's big days, as far as this year can tell, and its weight."""
        found = []
        for occasion in occasions:
            decided = self._fixed(occasion)
            eligible = (decided[0],) if decided is not None else occasion.eligible
            if occasion.weight and eligible:
                found.append((eligible, occasion.weight))
        return found

    def _plan_year(
        self,
        year: int,
        occasions: list[_Occasion],
        next_year: list[tuple[tuple[str, ...], int]],
        *,
        scarce: bool,
    ) -> tuple[dict[int, str | None], dict[int, str]]:
        assigned: dict[int, str | None] = {}
        why: dict[int, str] = {}
        for i, occasion in enumerate(occasions):
            if (decided := self._fixed(occasion)) is not None:
                assigned[i], why[i] = decided
            elif not occasion.eligible:
                assigned[i], why[i] = None, "nobody available"
        ordinary = [o for o in occasions if not o.weight]
        scarcity = Counter(m for o in ordinary for m in o.eligible) if scarce else None
        self._spread_big_days(year, occasions, assigned, why, scarcity, next_year)
        counts = Counter({m: 0 for m in self.rotation.members})
        counts.update(p for p in assigned.values() if p)
        settled = set(assigned)
        open_days = {i: self._without_repeat(o, year) for i, o in enumerate(occasions) if i not in settled}
        for i, ring in open_days.items():
            backup = occasions[i].backup
            _, choice = min(
                enumerate(ring),
                key=lambda item: (counts[item[1]], self.past.totals[item[1]], item[1] != backup, item[0]),
            )
            assigned[i] = choice
            counts[choice] += 1
        rebalance(open_days, assigned, counts, settled)
        # The year's count comes first: a small team may need last year's cover again.
        rebalance({i: occasions[i].eligible for i in open_days}, assigned, counts, settled)
        for i in open_days:
            why[i] = self._ordinary_why(occasions[i], year, assigned[i])
        return assigned, why

    def _ordinary_why(self, occasion: _Occasion, year: int, person: str | None) -> str:
        reason = "the shift's backup" if person == occasion.backup else f"evens out the holidays of {year}"
        return reason + self._repeat_note(occasion, year, person, "to keep the year's counts within one")

    def _repeat_note(self, occasion: _Occasion, year: int, person: str | None, because: str) -> str:
        if self._last_cover(occasion, year) == person:
            return f"; covered it in {year - 1} too, {because}"
        return ""

    def _spared(self, occasion: _Occasion, year: int, person: str | None) -> str | None:
        """Last year's cover of the holiday, when the rules (not a pin or a record) chose someone else."""
        last = self._last_cover(occasion, year)
        if person is None or last in (None, person) or last not in occasion.eligible:
            return None
        return last if self._fixed(occasion) is None else None

    def _spread_big_days(
        self,
        year: int,
        occasions: list[_Occasion],
        assigned: dict[int, str | None],
        why: dict[int, str],
        scarcity: Counter[str] | None,
        next_year: list[tuple[tuple[str, ...], int]],
    ) -> None:
        open_days = [i for i, o in enumerate(occasions) if o.weight and i not in assigned]
        if not open_days:
            return
        fixed_big = [(occasions[i], p) for i, p in assigned.items() if occasions[i].weight and p]
        windows = []
        for start in range(self.first_year, year + 1):
            loads = Counter({m: 0 for m in self.rotation.members})
            for y, _, _, person, weight in self.past.big:
                if y >= start and person in loads:
                    loads[person] += weight
            for occasion, person in fixed_big:
                if person in loads:
                    loads[person] += occasion.weight
            windows.append(loads)
        last_big = {person: (day, key) for _, day, key, person, _ in self.past.big}
        ordered = sorted({d for d, _ in last_big.values()})
        recency = {
            m: ordered.index(last_big[m][0]) + 1 if m in last_big else 0 for m in self.rotation.members
        }
        days = [
            big_days.BigDay(
                occasions[i].eligible,
                occasions[i].weight,
                occasions[i].backup,
                self._last_cover(occasions[i], year),
            )
            for i in open_days
        ]
        standing = big_days.Standing(windows, recency, self.limit, scarcity, next_year)
        for i, person in zip(open_days, big_days.choose(days, standing), strict=True):
            assigned[i] = person
            if person in last_big:
                day, key = last_big[person]
                reason = f"big day: had no big holiday since {key} {day.year}"
            else:
                reason = "big day: had no big holiday yet"
            why[i] = reason + self._repeat_note(
                occasions[i], year, person, "as anyone else would widen the spread"
            )

    def _record(
        self, year: int, occasions: list[_Occasion], assigned: dict[int, str | None], why: dict[int, str]
    ) -> list[HolidayDuty]:
        duties = []
        for i, occasion in enumerate(occasions):
            person = assigned[i]
            spared = self._spared(occasion, year, person)
            if person is not None:
                self.past.covers[(occasion.key, year)] = person
                self.past.totals[person] += 1
                if occasion.weight:
                    self.past.big.append((year, occasion.main, occasion.key, person, occasion.weight))
            for day in occasion.days:
                duties.append(
                    HolidayDuty(
                        self.rotation.name,
                        day.holiday,
                        self.pins.get(day.holiday.day, person),
                        pinned=day.holiday.day in self.pins,
                        why=why[i],
                        spared=spared,
                        weight=occasion.weight,
                        same_as=None if day.holiday.day == occasion.main else occasion.main,
                    )
                )
        return duties


def _spread(rotation: Rotation, assigned: dict[int, str | None]) -> int:
    """How far apart the members' holiday counts of a year are."""
    counts = Counter({m: 0 for m in rotation.members})
    counts.update(p for p in assigned.values() if p is not None and p in counts)
    return max(counts.values()) - min(counts.values())


def holiday_years(rotation: Rotation, last_year: int, inputs: ScheduleInputs) -> dict[int, list[HolidayDuty]]:
    """Holiday duty of every year from the rotation's first to `last_year`, each list by date."""
    return _Planner(rotation, inputs).plan(last_year)


def holiday_duties(rotation: Rotation, year: int, inputs: ScheduleInputs) -> list[HolidayDuty]:
    """Who covers each holiday of `year` in this rotation, fair across the years, respecting pins."""
    return holiday_years(rotation, year, inputs).get(year, [])


@dataclass(frozen=True)
class Tally:
    holidays: int
    big: int  # weighted big days


def tally(rotation: Rotation, years: dict[int, list[HolidayDuty]]) -> dict[str, Tally]:
    """Holidays (a weekend day with its observed day once) and weighted big days per member."""
    counted = [(d.person, d.weight) for ds in years.values() for d in ds if d.same_as is None and d.person]
    holidays = Counter(person for person, _ in counted)
    big: Counter[str] = Counter()
    for person, weight in counted:
        big[person] += weight
    return {m: Tally(holidays[m], big[m]) for m in rotation.members}
