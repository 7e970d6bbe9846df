"""Plain rotations: who holds each week, and handoffs on the wall clock across DST changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.schedule import handoff_instant, shift_at, shifts
from bot.schedule.model import Rotation, Unit
from bot.schedule.rotation import wall_to_instant

NY = ZoneInfo("America/New_York")
WEEK6 = Rotation("data-oncall", ("alice", "bob", "carol", "david"), "America/New_York", date(2026, 1, 5))
WEEK5 = Rotation("data-oncall", ("alice", "bob", "charlie", "david"), "America/New_York", date(2025, 12, 29))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "primary", "backup"),
    [
        (datetime(2026, 1, 5, 9, tzinfo=NY), "alice", "bob"),
        (datetime(2026, 1, 12, 8, 59, tzinfo=NY), "alice", "bob"),
        (datetime(2026, 1, 12, 9, tzinfo=NY), "bob", "carol"),
        (datetime(2026, 1, 19, 9, tzinfo=NY), "carol", "david"),
        (datetime(2026, 1, 26, 9, tzinfo=NY), "david", "alice"),
        (datetime(2026, 2, 2, 9, tzinfo=NY), "alice", "bob"),
        (datetime(2026, 2, 9, 12, tzinfo=NY), "bob", "carol"),
        (datetime(2026, 2, 16, 12, tzinfo=NY), "carol", "david"),
        (datetime(2026, 2, 23, 12, tzinfo=NY), "david", "alice"),
        (datetime(2026, 3, 2, 12, tzinfo=NY), "alice", "bob"),
        (datetime(2026, 11, 26, 12, tzinfo=NY), "carol", "david"),
        (datetime(2026, 12, 31, 23, tzinfo=NY), "david", "alice"),
    ],
)
def test_week6_rotation(when: datetime, primary: str, backup: str) -> None:
    shift = shift_at(WEEK6, when)
    assert shift is not None
    assert (shift.primary, shift.backup) == (primary, backup)


@pytest.mark.parametrize(
    ("day", "primary"),
    [
        (date(2025, 12, 30), "alice"),
        (date(2026, 1, 6), "bob"),
        (date(2026, 1, 13), "charlie"),
        (date(2026, 1, 20), "david"),
        (date(2026, 1, 27), "alice"),
        (date(2026, 2, 3), "bob"),
        (date(2026, 2, 10), "charlie"),
        (date(2026, 2, 17), "david"),
    ],
)
def test_week5_rotation(day: date, primary: str) -> None:
    shift = shift_at(WEEK5, datetime.combine(day, time(12), NY))
    assert shift is not None and shift.primary == primary


def test_nobody_before_the_first_handoff() -> None:
    assert shift_at(WEEK6, datetime(2026, 1, 5, 8, 59, tzinfo=NY)) is None
    assert handoff_instant(WEEK6, 0) == datetime(2026, 1, 5, 9, tzinfo=NY)


def test_start_date_moves_to_the_handoff_weekday() -> None:
    rotation = Rotation("r", ("a", "b"), "UTC", date(2026, 1, 1), handoff_weekday=0)  # a Thursday
    assert handoff_instant(rotation, 0) == utc(2026, 1, 5, 9)


def test_explicit_backup_pairs() -> None:
    rotation = Rotation(
        "r", ("a", "b", "c"), "UTC", date(2026, 1, 5), backup_pairs={"a": "c", "b": "a", "c": "b"}
    )
    assert [(s.primary, s.backup) for s in shifts(rotation, utc(2026, 1, 5, 9), utc(2026, 1, 26, 9))] == [
        ("a", "c"),
        ("b", "a"),
        ("c", "b"),
    ]


def test_length_two_weeks() -> None:
    rotation = Rotation("r", ("a", "b"), "UTC", date(2026, 1, 5), length=2)
    found = shifts(rotation, utc(2026, 1, 5, 9), utc(2026, 2, 2, 9))
    assert [(s.primary, s.start) for s in found] == [("a", utc(2026, 1, 5, 9)), ("b", utc(2026, 1, 19, 9))]


def test_shifts_tile_the_interval() -> None:
    found = shifts(WEEK6, utc(2026, 3, 1), utc(2026, 5, 1))
    assert found[0].start <= utc(2026, 3, 1) < found[0].end
    assert all(a.end == b.start for a, b in itertools.pairwise(found))
    assert found[-1].end >= utc(2026, 5, 1)


@pytest.mark.parametrize(
    ("zone", "weekday", "at", "day", "expected_utc"),
    [
        # New York: a weekly Monday 09:00 handoff keeps its wall time on both sides of each change.
        ("America/New_York", 0, time(9), date(2026, 3, 2), utc(2026, 3, 2, 14)),
        ("America/New_York", 0, time(9), date(2026, 3, 9), utc(2026, 3, 9, 13)),
        ("America/New_York", 0, time(9), date(2026, 10, 26), utc(2026, 10, 26, 13)),
        ("America/New_York", 0, time(9), date(2026, 11, 2), utc(2026, 11, 2, 14)),
        # 02:30 does not exist on 2026-03-08: the first valid instant after the gap, 03:00 EDT.
        ("America/New_York", 6, time(2, 30), date(2026, 3, 8), utc(2026, 3, 8, 7)),
        # 01:30 happens twice on 2026-11-01: the first occurrence, EDT.
        ("America/New_York", 6, time(1, 30), date(2026, 11, 1), utc(2026, 11, 1, 5, 30)),
        ("Europe/London", 6, time(1, 30), date(2026, 3, 29), utc(2026, 3, 29, 1)),
        ("Europe/London", 6, time(1, 30), date(2026, 10, 25), utc(2026, 10, 25, 0, 30)),
        ("Europe/London", 0, time(9), date(2026, 3, 30), utc(2026, 3, 30, 8)),
        # Lord Howe moves by 30 minutes: 02:15 on 2026-10-04 falls in the gap (02:00 -> 02:30).
        ("Australia/Lord_Howe", 6, time(2, 15), date(2026, 10, 4), utc(2026, 10, 3, 15, 30)),
        # 01:45 on 2026-04-05 happens twice (02:00 -> 01:30): first occurrence, at +11:00.
        ("Australia/Lord_Howe", 6, time(1, 45), date(2026, 4, 5), utc(2026, 4, 4, 14, 45)),
    ],
)
def test_weekly_handoffs_across_dst(
    zone: str, weekday: int, at: time, day: date, expected_utc: datetime
) -> None:
    rotation = Rotation("r", ("a", "b"), zone, date(2026, 1, 1), handoff_time=at, handoff_weekday=weekday)
    starts = [s.start for s in shifts(rotation, utc(2026, 1, 1), utc(2027, 1, 1))]
    assert expected_utc in starts
    assert datetime.combine(day, time(), UTC) - timedelta(days=1) < expected_utc


@pytest.mark.parametrize(
    ("zone", "days", "hours"),
    [
        ("America/New_York", (date(2026, 3, 7), date(2026, 3, 8)), 23),
        ("America/New_York", (date(2026, 10, 31), date(2026, 11, 1)), 25),
        ("Europe/London", (date(2026, 3, 28), date(2026, 3, 29)), 23),
        ("Australia/Lord_Howe", (date(2026, 4, 4), date(2026, 4, 5)), 24.5),
        ("Australia/Lord_Howe", (date(2026, 10, 3), date(2026, 10, 4)), 23.5),
    ],
)
def test_daily_rotation_across_dst(zone: str, days: tuple[date, date], hours: float) -> None:
    rotation = Rotation("r", ("a", "b", "c"), zone, date(2026, 1, 1), handoff_time=time(9), unit=Unit.DAILY)
    tz = ZoneInfo(zone)
    shift = shift_at(rotation, datetime.combine(days[0], time(12), tz))
    assert shift is not None
    assert shift.start == datetime.combine(days[0], time(9), tz)
    assert shift.end == datetime.combine(days[1], time(9), tz)
    assert (shift.end - shift.start) == timedelta(hours=hours)


def test_handoff_instant_belongs_to_the_new_shift() -> None:
    handoff = datetime(2026, 3, 9, 9, tzinfo=NY)
    before = shift_at(WEEK6, handoff - timedelta(microseconds=1))
    after = shift_at(WEEK6, handoff)
    assert before is not None and after is not None
    assert before.end == after.start == handoff and before.index + 1 == after.index


def test_wall_to_instant_plain_time() -> None:
    assert wall_to_instant(datetime(2026, 6, 1, 9), NY) == utc(2026, 6, 1, 13)
