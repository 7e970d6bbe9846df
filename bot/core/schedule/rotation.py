"""The plain rotation: shift k, its handoff instant on the zone's wall clock, its primary and backup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.schedule.model import Rotation, Shift, Unit


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def wall_to_instant(local: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time.

    An ambiguous time (fall back) is its first occurrence. A time that does not exist (spring
    forward) becomes the first valid instant after the gap, i.e. the transition itself.
    """
    aware = local.replace(tzinfo=tz, fold=0)
    first = aware.astimezone(UTC)
    if first.astimezone(tz) == aware:  # one tzinfo on both sides: compares the wall clocks
        return first
    # In a gap, fold=1 reads the time with the later offset, giving an instant before the transition.
    low, high = local.replace(tzinfo=tz, fold=1).astimezone(UTC), first
    after = first.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def first_handoff_date(rotation: Rotation) -> date:
    if rotation.unit is Unit.DAILY:
        return rotation.start
    return rotation.start + timedelta(days=(rotation.handoff_weekday - rotation.start.weekday()) % 7)


def _step_days(rotation: Rotation) -> int:
    return rotation.length * (7 if rotation.unit is Unit.WEEKLY else 1)


def handoff_instant(rotation: Rotation, index: int) -> datetime:
    """When shift `index` starts (UTC): its handoff time on the rotation's local calendar."""
    return _handoffs(rotation)(index)


def _handoffs(rotation: Rotation) -> Callable[[int], datetime]:
    """Handoff instants by shift index, with the per-rotation arithmetic done once."""
    first, step, tz = first_handoff_date(rotation), _step_days(rotation), zone(rotation.timezone)
    wall_time = rotation.handoff_time

    def instant(index: int) -> datetime:
        return wall_to_instant(datetime.combine(first + timedelta(days=index * step), wall_time), tz)

    return instant


def primary_of(rotation: Rotation, index: int) -> str:
    return rotation.members[index % len(rotation.members)]


def backup_of(rotation: Rotation, index: int) -> str:
    primary = primary_of(rotation, index)
    if rotation.backup_pairs:
        return rotation.backup_pairs[primary]
    return rotation.members[(index + 1) % len(rotation.members)]


def shift(rotation: Rotation, index: int) -> Shift:
    return Shift(
        rotation=rotation.name,
        index=index,
        primary=primary_of(rotation, index),
        backup=backup_of(rotation, index),
        start=handoff_instant(rotation, index),
        end=handoff_instant(rotation, index + 1),
    )


def index_at(rotation: Rotation, at: datetime) -> int:
    """The index of the shift holding `at`; -1 before the first handoff. O(1): estimate, then correct."""
    instant = _handoffs(rotation)
    origin = instant(0)
    if at < origin:
        return -1
    index = int((at - origin) / timedelta(days=_step_days(rotation)))
    while index > 0 and instant(index) > at:
        index -= 1
    while instant(index + 1) <= at:
        index += 1
    return index


def shift_at(rotation: Rotation, at: datetime) -> Shift | None:
    """The plain shift holding `at`, or None before the rotation starts."""
    index = index_at(rotation, at)
    return None if index < 0 else shift(rotation, index)


def shifts(rotation: Rotation, start: datetime, end: datetime) -> list[Shift]:
    """Plain rotation shifts overlapping [start, end), before holidays, absences and overrides."""
    index, instant = max(index_at(rotation, start), 0), _handoffs(rotation)
    found = []
    begin = instant(index)
    while begin < end:
        finish = instant(index + 1)
        if finish > start:
            primary, backup = primary_of(rotation, index), backup_of(rotation, index)
            found.append(Shift(rotation.name, index, primary, backup, begin, finish))
        index, begin = index + 1, finish
    return found


@lru_cache(maxsize=4096)
def local_midnight(day: date, tz_name: str) -> datetime:
    """The instant a local calendar day starts; holidays ask for the same days again and again."""
    return wall_to_instant(datetime.combine(day, time()), zone(tz_name))
