"""Resolved schedules: holidays, absences and overrides applied, each segment saying why."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.schedule import CountryCalendar, resolve, who
from bot.schedule.model import Absence, Override, Reason, Role, Rotation, ScheduleInputs, Segment

NY = ZoneInfo("America/New_York")
WEEK6 = Rotation("data-oncall", ("alice", "bob", "carol", "david"), "America/New_York", date(2026, 1, 5))
# Week of Monday 2026-12-07 09:00: alice primary, bob backup (week 48).
MON = datetime(2026, 12, 7, 9, tzinfo=NY)
NEXT_MON = MON + timedelta(days=7)
US = CountryCalendar("US")


def at(resolution_segments: list[Segment], when: datetime, role: Role) -> Segment:
    return next(s for s in resolution_segments if s.role is role and s.start <= when < s.end)


def run(*, absences: tuple[Absence, ...] = (), overrides: tuple[Override, ...] = ()) -> list[Segment]:
    inputs = ScheduleInputs(calendar=US, absences=absences, overrides=overrides)
    return resolve(WEEK6, MON, NEXT_MON, inputs).segments


def holders(segments: list[Segment], when: datetime) -> tuple[str | None, str | None]:
    return at(segments, when, Role.PRIMARY).person, at(segments, when, Role.BACKUP).person


def test_plain_week() -> None:
    segments = run()
    assert [(s.role, s.person, s.reason) for s in segments] == [
        (Role.PRIMARY, "alice", Reason.ROTATION),
        (Role.BACKUP, "bob", Reason.ROTATION),
    ]
    assert segments[0].start == MON and segments[0].end == NEXT_MON


def test_thanksgiving_day_is_covered_and_explained() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=NY)
    segments = resolve(WEEK6, start, start + timedelta(days=7), ScheduleInputs(calendar=US)).segments
    day = datetime(2026, 11, 26, 12, tzinfo=NY)
    primary = at(segments, day, Role.PRIMARY)
    assert (primary.person, primary.reason, primary.instead_of) == ("david", Reason.HOLIDAY, "carol")
    assert "Thanksgiving" in primary.detail
    assert primary.start == datetime(2026, 11, 26, tzinfo=NY) and primary.end == datetime(
        2026, 11, 27, tzinfo=NY
    )
    backup = at(segments, day, Role.BACKUP)
    assert backup.person not in ("david", "carol") and backup.reason is Reason.HOLIDAY
    assert holders(segments, datetime(2026, 11, 27, 12, tzinfo=NY)) == ("carol", "david")


def test_primary_away_backup_takes_over_and_slot_is_refilled() -> None:
    away = Absence("alice", MON + timedelta(days=1), MON + timedelta(days=3), "vacation")
    segments = run(absences=(away,))
    primary, backup = holders(segments, MON + timedelta(days=2))
    assert primary == "bob"
    # Least recently on call: david had week 47, carol week 46 -> carol.
    assert backup == "carol"
    segment = at(segments, MON + timedelta(days=2), Role.PRIMARY)
    assert (
        segment.reason is Reason.ABSENCE and segment.detail == "alice away" and segment.instead_of == "alice"
    )
    assert holders(segments, MON + timedelta(hours=1)) == ("alice", "bob")


def test_backup_away_is_replaced() -> None:
    segments = run(absences=(Absence("bob", MON, NEXT_MON),))
    assert holders(segments, MON + timedelta(days=1)) == ("alice", "carol")
    assert at(segments, MON, Role.BACKUP).detail == "bob away"


def test_both_away() -> None:
    segments = run(absences=(Absence("alice", MON, NEXT_MON), Absence("bob", MON, NEXT_MON)))
    primary, backup = holders(segments, MON + timedelta(days=1))
    assert {primary, backup} == {"carol", "david"}


def test_everyone_away_is_a_reported_gap() -> None:
    absences = tuple(Absence(m, MON, NEXT_MON) for m in WEEK6.members)
    inputs = ScheduleInputs(calendar=US, absences=absences)
    resolution = resolve(WEEK6, MON, NEXT_MON, inputs)
    assert {s.person for s in resolution.segments} == {None}
    assert {s.reason for s in resolution.gaps} == {Reason.GAP}


def test_volunteer_override_takes_the_backup_slot() -> None:
    away = Absence("alice", MON, NEXT_MON)
    volunteer = Override(
        "data-oncall", Role.BACKUP, "david", MON, NEXT_MON, Reason.VOLUNTEER, seq=1, note="volunteered"
    )
    segments = run(absences=(away,), overrides=(volunteer,))
    assert holders(segments, MON + timedelta(days=1)) == ("bob", "david")
    assert at(segments, MON, Role.BACKUP).reason is Reason.VOLUNTEER


def test_override_is_clipped_to_its_interval() -> None:
    swap = Override(
        "data-oncall",
        Role.PRIMARY,
        "carol",
        MON + timedelta(days=2),
        MON + timedelta(days=3),
        Reason.SWAP,
        seq=1,
    )
    segments = run(overrides=(swap,))
    assert holders(segments, MON + timedelta(days=1)) == ("alice", "bob")
    assert holders(segments, MON + timedelta(days=2, hours=1)) == ("carol", "bob")
    assert holders(segments, MON + timedelta(days=3)) == ("alice", "bob")
    assert at(segments, MON + timedelta(days=2), Role.PRIMARY).reason is Reason.SWAP


def test_newest_override_wins() -> None:
    older = Override("data-oncall", Role.PRIMARY, "carol", MON, NEXT_MON, seq=1)
    newer = Override(
        "data-oncall", Role.PRIMARY, "david", MON + timedelta(days=1), MON + timedelta(days=2), seq=2
    )
    segments = run(overrides=(newer, older))
    assert holders(segments, MON + timedelta(hours=1))[0] == "carol"
    assert holders(segments, MON + timedelta(days=1, hours=1))[0] == "david"
    assert holders(segments, MON + timedelta(days=2, hours=1))[0] == "carol"


def test_override_naming_someone_away_does_not_schedule_them() -> None:
    cover = Override("data-oncall", Role.PRIMARY, "carol", MON, NEXT_MON, seq=1)
    segments = run(overrides=(cover,), absences=(Absence("carol", MON, NEXT_MON),))
    primary, backup = holders(segments, MON + timedelta(days=1))
    assert "carol" not in (primary, backup) and primary is not None and backup is not None


def test_override_making_primary_equal_backup_refills_the_backup() -> None:
    swap = Override("data-oncall", Role.PRIMARY, "bob", MON, NEXT_MON, Reason.SWAP, seq=1)
    segments = run(overrides=(swap,))
    primary, backup = holders(segments, MON + timedelta(days=1))
    assert primary == "bob" and backup not in (None, "bob")


def test_who_knows_until_when() -> None:
    found = who(WEEK6, MON + timedelta(days=1), ScheduleInputs(calendar=US))
    assert found is not None
    primary, backup = found
    assert (primary.person, backup.person) == ("alice", "bob")
    assert primary.end == NEXT_MON


def test_nothing_before_the_rotation_starts() -> None:
    start = datetime(2025, 12, 1, tzinfo=NY)
    assert resolve(WEEK6, start, start + timedelta(days=7), ScheduleInputs(calendar=US)).segments == []
    assert who(WEEK6, start, ScheduleInputs(calendar=US)) is None
