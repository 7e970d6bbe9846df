"""Who fills each role under holidays, absences and overrides, and what the bot says about it.

The expected holders are worked out by hand. The week of Monday 2026-12-07 09:00 is week 48 of the
Week 6 team: alice primary, bob backup; the latest primary weeks before it were bob 45, carol 46 and
david 47, so "on call least recently" orders them bob, carol, david (then alice, on call now).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import CountryCalendar, resolve
from bot.core.schedule.model import (
    Absence,
    Holiday,
    Override,
    Reason,
    Role,
    Rotation,
    ScheduleInputs,
    Segment,
    spell,
)
from tests.schedule.examples import US, WEEK6

NY = ZoneInfo("America/New_York")
MON = datetime(2026, 12, 7, 9, tzinfo=NY)
NEXT_MON = MON + timedelta(days=7)
TUESDAY = MON + timedelta(days=1)


def week(*, absences: tuple[Absence, ...] = (), overrides: tuple[Override, ...] = ()) -> list[Segment]:
    inputs = ScheduleInputs(calendar=US, absences=absences, overrides=overrides)
    return resolve(WEEK6, MON, NEXT_MON, inputs).segments


def held(segments: list[Segment], when: datetime, role: Role) -> Segment:
    return next(s for s in segments if s.role is role and s.start <= when < s.end)


def holders(segments: list[Segment], when: datetime) -> tuple[str | None, str | None]:
    return held(segments, when, Role.PRIMARY).person, held(segments, when, Role.BACKUP).person


def explained(segment: Segment) -> tuple[str | None, Reason, str, str | None]:
    return segment.person, segment.reason, spell(segment.detail), segment.instead_of


def override(
    role: Role, person: str, seq: int, reason: Reason = Reason.OVERRIDE, **span: datetime
) -> Override:
    start, end = span.get("start", MON), span.get("end", NEXT_MON)
    return Override("data-oncall", role, person, start, end, reason, seq=seq, note=f"{reason} {person}")


# --- absences ---------------------------------------------------------------------------------------


def test_primary_away_the_backup_steps_up_and_the_least_recent_fills_in() -> None:
    segments = week(absences=(Absence("alice", TUESDAY, TUESDAY + timedelta(days=2), "vacation"),))
    assert holders(segments, MON + timedelta(hours=1)) == ("alice", "bob")
    assert explained(held(segments, TUESDAY, Role.PRIMARY)) == ("bob", Reason.ABSENCE, "alice away", "alice")
    assert explained(held(segments, TUESDAY, Role.BACKUP)) == (
        "carol",
        Reason.ABSENCE,
        "while bob covers for alice",
        "bob",
    )
    assert held(segments, TUESDAY, Role.PRIMARY).end == TUESDAY + timedelta(days=2)
    assert holders(segments, TUESDAY + timedelta(days=2)) == ("alice", "bob")


def test_backup_away_is_replaced_by_the_least_recent() -> None:
    segments = week(absences=(Absence("bob", MON, NEXT_MON),))
    assert holders(segments, TUESDAY) == ("alice", "carol")
    assert explained(held(segments, TUESDAY, Role.BACKUP)) == ("carol", Reason.ABSENCE, "bob away", "bob")


def test_both_away() -> None:
    segments = week(absences=(Absence("alice", MON, NEXT_MON), Absence("bob", MON, NEXT_MON)))
    assert explained(held(segments, TUESDAY, Role.PRIMARY)) == (
        "carol",
        Reason.ABSENCE,
        "alice away",
        "alice",
    )
    assert explained(held(segments, TUESDAY, Role.BACKUP)) == ("david", Reason.ABSENCE, "bob away", "bob")


def test_everyone_away_is_a_reported_gap() -> None:
    absences = tuple(Absence(m, MON, NEXT_MON) for m in WEEK6.members)
    resolution = resolve(WEEK6, MON, NEXT_MON, ScheduleInputs(calendar=US, absences=absences))
    assert [(s.role, s.person, s.reason) for s in resolution.segments] == [
        (Role.PRIMARY, None, Reason.GAP),
        (Role.BACKUP, None, Reason.GAP),
    ]
    assert resolution.gaps == resolution.segments


def test_a_volunteer_takes_the_backup_slot() -> None:
    volunteer = override(Role.BACKUP, "david", 1, Reason.VOLUNTEER)
    segments = week(absences=(Absence("alice", MON, NEXT_MON),), overrides=(volunteer,))
    assert explained(held(segments, TUESDAY, Role.PRIMARY)) == ("bob", Reason.ABSENCE, "alice away", "alice")
    assert explained(held(segments, TUESDAY, Role.BACKUP)) == (
        "david",
        Reason.VOLUNTEER,
        "volunteer david",
        "bob",
    )


# --- overrides ---------------------------------------------------------------------------------------


def test_an_override_is_clipped_to_its_interval() -> None:
    swap = override(Role.PRIMARY, "carol", 1, Reason.SWAP, start=TUESDAY, end=TUESDAY + timedelta(days=1))
    segments = week(overrides=(swap,))
    assert [(s.person, s.start, s.end) for s in segments if s.role is Role.PRIMARY] == [
        ("alice", MON, TUESDAY),
        ("carol", TUESDAY, TUESDAY + timedelta(days=1)),
        ("alice", TUESDAY + timedelta(days=1), NEXT_MON),
    ]
    assert explained(held(segments, TUESDAY, Role.PRIMARY)) == ("carol", Reason.SWAP, "swap carol", "alice")
    assert {s.person for s in segments if s.role is Role.BACKUP} == {"bob"}


def test_the_newest_override_wins_where_they_overlap() -> None:
    older = override(Role.PRIMARY, "carol", 1)
    newer = override(Role.PRIMARY, "david", 2, start=TUESDAY, end=TUESDAY + timedelta(days=1))
    segments = week(overrides=(newer, older))
    assert [s.person for s in segments if s.role is Role.PRIMARY] == ["carol", "david", "carol"]


def test_an_override_naming_someone_away_gets_the_absence_rule() -> None:
    segments = week(
        overrides=(override(Role.PRIMARY, "carol", 1),), absences=(Absence("carol", MON, NEXT_MON),)
    )
    assert explained(held(segments, TUESDAY, Role.PRIMARY)) == ("bob", Reason.ABSENCE, "carol away", "alice")
    assert holders(segments, TUESDAY) == ("bob", "david")  # alice was on call last: david fills in


def test_a_primary_override_naming_the_backup_refills_the_backup() -> None:
    segments = week(overrides=(override(Role.PRIMARY, "bob", 1, Reason.SWAP),))
    assert holders(segments, TUESDAY) == ("bob", "carol")
    assert explained(held(segments, TUESDAY, Role.BACKUP)) == (
        "carol",
        Reason.SWAP,
        "while bob is primary",
        "bob",
    )


def test_a_backup_override_naming_the_primary_refills_the_primary() -> None:
    segments = week(overrides=(override(Role.BACKUP, "alice", 1, Reason.VOLUNTEER),))
    assert holders(segments, TUESDAY) == ("bob", "alice")
    assert spell(held(segments, TUESDAY, Role.PRIMARY).detail) == "while alice is backup"


@pytest.mark.parametrize(
    ("primary_seq", "backup_seq", "expected"), [(2, 1, ("carol", "bob")), (1, 2, ("bob", "carol"))]
)
def test_two_overrides_naming_one_person_the_newer_stands(
    primary_seq: int, backup_seq: int, expected: tuple[str, str]
) -> None:
    overrides = (override(Role.PRIMARY, "carol", primary_seq), override(Role.BACKUP, "carol", backup_seq))
    assert holders(week(overrides=overrides), TUESDAY) == expected


# --- holidays ----------------------------------------------------------------------------------------

THANKSGIVING = datetime(2026, 11, 26, tzinfo=NY)  # week 46: carol primary, david backup; david covers


def thanksgiving_week(inputs: ScheduleInputs) -> list[Segment]:
    start = datetime(2026, 11, 23, 9, tzinfo=NY)
    return resolve(WEEK6, start, start + timedelta(days=7), inputs).segments


def test_the_cover_holds_the_whole_local_day_and_the_next_member_is_backup() -> None:
    segments = thanksgiving_week(ScheduleInputs(calendar=US))
    primary = held(segments, THANKSGIVING, Role.PRIMARY)
    assert explained(primary) == ("david", Reason.HOLIDAY, "covers Thanksgiving Day for carol", "carol")
    assert (primary.start, primary.end) == (THANKSGIVING, THANKSGIVING + timedelta(days=1))
    backup = held(segments, THANKSGIVING, Role.BACKUP)
    assert explained(backup) == (
        "alice",
        Reason.HOLIDAY,
        "backup while david covers Thanksgiving Day",
        "david",
    )
    assert holders(segments, THANKSGIVING - timedelta(microseconds=1)) == ("carol", "david")
    assert holders(segments, THANKSGIVING + timedelta(days=1)) == ("carol", "david")


def test_the_holiday_backup_skips_someone_away() -> None:
    away = Absence("alice", THANKSGIVING, THANKSGIVING + timedelta(days=1))
    segments = thanksgiving_week(ScheduleInputs(calendar=US, absences=(away,)))
    assert holders(segments, THANKSGIVING + timedelta(hours=12)) == ("david", "bob")


def test_a_pinned_cover_who_is_away_is_covered_like_any_primary() -> None:
    away = Absence("alice", THANKSGIVING, THANKSGIVING + timedelta(days=1))
    inputs = ScheduleInputs(calendar=US, absences=(away,), pinned={date(2026, 11, 26): "alice"})
    segments = thanksgiving_week(inputs)
    # alice's day goes to the backup, david; carol is off, so bob fills the backup slot.
    assert explained(held(segments, THANKSGIVING, Role.PRIMARY)) == (
        "david",
        Reason.ABSENCE,
        "alice away",
        "carol",
    )
    assert holders(segments, THANKSGIVING) == ("david", "bob")


def test_a_holiday_nobody_can_cover_is_a_reported_gap() -> None:
    rotation = Rotation("pair", ("a", "b"), "UTC", date(2026, 1, 5))  # week 46: a primary, b backup
    away = Absence("b", datetime(2026, 11, 20, tzinfo=NY), datetime(2026, 12, 1, tzinfo=NY))
    day = datetime(2026, 11, 26, 12, tzinfo=ZoneInfo("UTC"))
    resolution = resolve(
        rotation, day, day + timedelta(hours=1), ScheduleInputs(calendar=US, absences=(away,))
    )
    assert [(s.role, s.person, s.reason, spell(s.detail)) for s in resolution.segments] == [
        (Role.PRIMARY, None, Reason.GAP, "nobody can cover Thanksgiving Day for a"),
        (Role.BACKUP, None, Reason.GAP, "b away"),
    ]


def test_a_monday_holiday_with_the_handoff_in_it() -> None:
    # MLK Day 2026-01-19: bob/carol until 09:00, then carol/david. Bob covers (the big days went to
    # david and alice first): the outgoing primary keeps the morning, then covers for carol.
    day = datetime(2026, 1, 19, tzinfo=NY)
    handoff = day.replace(hour=9)
    segments = resolve(WEEK6, day, day + timedelta(days=1), ScheduleInputs(calendar=US)).segments
    assert [explained(s) for s in segments if s.role is Role.PRIMARY] == [
        ("bob", Reason.HOLIDAY, "covers Martin Luther King Jr. Day", None),
        ("bob", Reason.HOLIDAY, "covers Martin Luther King Jr. Day for carol", "carol"),
    ]
    assert [(s.person, s.start, s.end) for s in segments if s.role is Role.BACKUP] == [
        ("carol", day, handoff),
        ("david", handoff, day + timedelta(days=1)),
    ]


def test_with_backup_pairs_the_holiday_backup_is_the_next_member_after_the_cover() -> None:
    # Week 0: a primary, c its paired backup and the cover. The next member after c is d (not b, who
    # was on call less recently): the holiday backup follows rotation order, not recency.
    pairs = {"a": "c", "b": "d", "c": "a", "d": "b"}
    rotation = Rotation("pairs", ("a", "b", "c", "d"), "UTC", date(2026, 1, 5), backup_pairs=pairs)
    calendar = CountryCalendar("US", extra=[Holiday(date(2026, 1, 7), "Founders' Day")])
    day = datetime(2026, 1, 7, 12, tzinfo=ZoneInfo("UTC"))
    segments = resolve(rotation, day, day + timedelta(hours=1), ScheduleInputs(calendar=calendar)).segments
    assert [explained(s) for s in segments] == [
        ("c", Reason.HOLIDAY, "covers Founders' Day for a", "a"),
        ("d", Reason.HOLIDAY, "backup while c covers Founders' Day", "c"),
    ]
