"""Plain rotations: who holds each week, and handoffs on the wall clock across DST changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import handoff_instant, shift_at, shifts
from bot.core.schedule.model import Rotation, Unit
from bot.core.schedule.rotation import wall_to_instant
from tests.schedule.examples import WEEK5, WEEK6

NY = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


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


NEW_YORK, LONDON, LORD_HOWE = "America/New_York", "Europe/London", "Australia/Lord_Howe"
# Three consecutive handoffs around each change, as UTC instants ("MM-DD HH:MM" of 2026) worked out by
# hand from the zone's offsets. A wall time in a gap happens at the first valid instant after it; one
# that happens twice, at its first occurrence.
DST_HANDOFFS = [
    # New York, 2026-03-08: 02:00 EST -> 03:00 EDT, so 02:30 does not exist: 03:00 EDT.
    (NEW_YORK, "daily", "02:30", "2026-03-07", ["03-07 07:30", "03-08 07:00", "03-09 06:30"]),
    (NEW_YORK, "weekly", "02:30", "2026-03-01", ["03-01 07:30", "03-08 07:00", "03-15 06:30"]),
    # New York, 2026-11-01: 02:00 EDT -> 01:00 EST, so 01:30 happens twice: the EDT one.
    (NEW_YORK, "daily", "01:30", "2026-10-31", ["10-31 05:30", "11-01 05:30", "11-02 06:30"]),
    (NEW_YORK, "weekly", "01:30", "2026-10-25", ["10-25 05:30", "11-01 05:30", "11-08 06:30"]),
    # A Monday 09:00 handoff keeps its wall time on both sides of each change.
    (NEW_YORK, "weekly", "09:00", "2026-03-02", ["03-02 14:00", "03-09 13:00", "03-16 13:00"]),
    (NEW_YORK, "weekly", "09:00", "2026-10-26", ["10-26 13:00", "11-02 14:00", "11-09 14:00"]),
    # London, 2026-03-29: 01:00 GMT -> 02:00 BST; 2026-10-25: 02:00 BST -> 01:00 GMT.
    (LONDON, "daily", "01:30", "2026-03-28", ["03-28 01:30", "03-29 01:00", "03-30 00:30"]),
    (LONDON, "weekly", "01:30", "2026-03-22", ["03-22 01:30", "03-29 01:00", "04-05 00:30"]),
    (LONDON, "daily", "01:30", "2026-10-24", ["10-24 00:30", "10-25 00:30", "10-26 01:30"]),
    (LONDON, "weekly", "01:30", "2026-10-18", ["10-18 00:30", "10-25 00:30", "11-01 01:30"]),
    # Lord Howe moves by 30 minutes. 2026-04-05: 02:00 (+11) -> 01:30 (+10:30): 01:30 happens twice.
    (LORD_HOWE, "daily", "01:30", "2026-04-04", ["04-03 14:30", "04-04 14:30", "04-05 15:00"]),
    (LORD_HOWE, "weekly", "01:30", "2026-03-29", ["03-28 14:30", "04-04 14:30", "04-11 15:00"]),
    # 2026-10-04: 02:00 (+10:30) -> 02:30 (+11): 02:15 does not exist, so 02:30 (+11); 02:30 exists.
    (LORD_HOWE, "daily", "02:15", "2026-10-03", ["10-02 15:45", "10-03 15:30", "10-04 15:15"]),
    (LORD_HOWE, "weekly", "02:15", "2026-09-27", ["09-26 15:45", "10-03 15:30", "10-10 15:15"]),
    (LORD_HOWE, "daily", "02:30", "2026-10-03", ["10-02 16:00", "10-03 15:30", "10-04 15:30"]),
]


@pytest.mark.parametrize(("zone", "unit", "wall", "first", "expected"), DST_HANDOFFS)
def test_handoffs_across_dst(zone: str, unit: str, wall: str, first: str, expected: list[str]) -> None:
    start = date.fromisoformat(first)
    rotation = Rotation(
        "r",
        ("a", "b", "c"),
        zone,
        start,
        handoff_time=time.fromisoformat(wall),
        handoff_weekday=start.weekday(),
        unit=Unit(unit),
    )
    instants = [datetime.strptime(f"2026-{when}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC) for when in expected]
    assert [handoff_instant(rotation, i) for i in range(3)] == instants
    found = shifts(rotation, instants[0], instants[2])
    assert [(s.start, s.end) for s in found] == [(instants[0], instants[1]), (instants[1], instants[2])]
    for index, instant in enumerate(instants):
        # The handoff instant belongs to the incoming shift; the instant before it, to the outgoing one.
        after = shift_at(rotation, instant)
        before = shift_at(rotation, instant - timedelta(microseconds=1))
        assert after is not None and after.index == index
        assert (before.index if before else -1) == index - 1


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


def test_a_shift_a_century_ahead() -> None:
    # 2125-12-31 is a Monday, 5217 weeks after the start: bob's week (5217 mod 4 = 1).
    shift = shift_at(WEEK6, datetime(2126, 1, 5, 12, tzinfo=NY))
    assert shift is not None
    assert (shift.index, shift.primary, shift.start) == (5217, "bob", datetime(2125, 12, 31, 9, tzinfo=NY))
