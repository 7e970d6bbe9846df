"""Holiday duty: who covers each holiday, balanced over a calendar year.

On a holiday the shift's primary is off and someone covers the day: by default the shift's backup
(the Week 6 plan), balanced so that over a year nobody covers more than one holiday more than anyone
else (the Week 5 plan); a pinned assignment wins; nobody covers while away.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.core.schedule.model import Absence, Holiday, HolidayDuty, Rotation, ScheduleInputs
from bot.core.schedule.rotation import (
    backup_of,
    first_handoff_date,
    index_at,
    local_midnight,
    primary_of,
    wall_to_instant,
    zone,
)


@dataclass(frozen=True)
class _Day:
    holiday: Holiday
    start: datetime
    end: datetime
    off: str  # the shift's primary, who is off
    backup: str
    eligible: tuple[str, ...]  # members who may cover it, in order of preference after the backup


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
        start = local_midnight(holiday.day, rotation.timezone)
        end = local_midnight(holiday.day + timedelta(days=1), rotation.timezone)
        # The day belongs to the shift in force at noon, so a holiday Monday with a morning handoff
        # is covered for the incoming shift.
        noon = wall_to_instant(datetime.combine(holiday.day, time(12)), tz)
        index = index_at(rotation, noon)
        if index < 0:
            continue
        primary, backup = primary_of(rotation, index), backup_of(rotation, index)
        order = rotation.members.index(primary)
        ring = rotation.members[order + 1 :] + rotation.members[:order]
        away = _away(start, end, absences)
        eligible = tuple(m for m in ring if m not in away) if away else ring
        days.append(_Day(holiday, start, end, primary, backup, eligible))
    return days


def holiday_duties(rotation: Rotation, year: int, inputs: ScheduleInputs) -> list[HolidayDuty]:
    """Who covers each holiday of `year` in this rotation, balanced and respecting pins."""
    days = _days(rotation, year, inputs)
    members = set(rotation.members)
    pins = {d: p for d, p in inputs.pinned.items() if p in members and d.year == year}
    assigned: dict[int, str | None] = {}
    counts = dict.fromkeys(rotation.members, 0)
    for i, day in enumerate(days):
        if day.holiday.day in pins:
            pinned_person = pins[day.holiday.day]
            assigned[i] = pinned_person
            counts[pinned_person] += 1
    for i, day in enumerate(days):
        if i in assigned:
            continue
        if not day.eligible:
            assigned[i] = None
            continue
        choice = _pick(day, counts)
        assigned[i] = choice
        counts[choice] += 1
    _rebalance(days, assigned, counts, {i for i, d in enumerate(days) if d.holiday.day in pins})
    return [
        HolidayDuty(rotation.name, day.holiday, assigned[i], pinned=day.holiday.day in pins)
        for i, day in enumerate(days)
    ]


def _pick(day: _Day, counts: dict[str, int]) -> str:
    """Fewest duties first; among equals the shift's backup, then rotation order after the primary."""
    fewest = min(map(counts.__getitem__, day.eligible))
    if day.backup in day.eligible and counts[day.backup] == fewest:
        return day.backup
    return next(m for m in day.eligible if counts[m] == fewest)


def _rebalance(
    days: list[_Day], assigned: dict[int, str | None], counts: dict[str, int], pinned: set[int]
) -> None:
    """Move duties along chains of eligible people until counts differ by at most one, where possible.

    The greedy pass can leave a spread of two when the least-loaded person is the one who is off on a
    later holiday; an augmenting path (A gives a day to B, B gives one to C, ...) repairs it.
    """
    while True:
        low = min(counts.values())
        path = _find_path(days, assigned, counts, pinned, low)
        if path is None:
            return
        for index, new_holder in path:
            old = assigned[index]
            assert old is not None
            counts[old] -= 1
            counts[new_holder] += 1
            assigned[index] = new_holder


def _find_path(
    days: list[_Day], assigned: dict[int, str | None], counts: dict[str, int], pinned: set[int], low: int
) -> list[tuple[int, str]] | None:
    sources = [p for p, n in counts.items() if n >= low + 2]
    parents: dict[str, tuple[str, int] | None] = dict.fromkeys(sources)
    queue = deque(sources)
    while queue:
        person = queue.popleft()
        for index, holder in assigned.items():
            if holder != person or index in pinned:
                continue
            for other in days[index].eligible:
                if other in parents:
                    continue
                parents[other] = (person, index)
                if counts[other] == low:
                    return _unwind(parents, other)
                queue.append(other)
    return None


def _unwind(parents: dict[str, tuple[str, int] | None], end: str) -> list[tuple[int, str]]:
    moves = []
    person = end
    while (link := parents[person]) is not None:
        giver, index = link
        moves.append((index, person))
        person = giver
    return moves
