"""Resolutions: segments that tile the asked interval, merged, sorted, with the holidays they touch."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.schedule import resolve, who
from bot.core.schedule.model import Override, Reason, Role, ScheduleInputs
from tests.schedule.examples import US, WEEK6

NY = ZoneInfo("America/New_York")
# Week of Monday 2026-12-07 09:00: alice primary, bob backup (week 48).
MON = datetime(2026, 12, 7, 9, tzinfo=NY)
NEXT_MON = MON + timedelta(days=7)


def test_plain_week() -> None:
    segments = resolve(WEEK6, MON, NEXT_MON, ScheduleInputs(calendar=US)).segments
    assert [(s.role, s.person, s.reason) for s in segments] == [
        (Role.PRIMARY, "alice", Reason.ROTATION),
        (Role.BACKUP, "bob", Reason.ROTATION),
    ]
    assert segments[0].start == MON and segments[0].end == NEXT_MON


def test_a_swap_across_the_handoff_is_one_segment() -> None:
    # The same person for the same reason on both sides of the handoff: one segment, not two.
    swap = Override(
        "data-oncall", Role.PRIMARY, "carol", MON - timedelta(days=1), MON + timedelta(days=1), Reason.SWAP
    )
    segments = resolve(
        WEEK6, MON - timedelta(days=2), NEXT_MON, ScheduleInputs(calendar=US, overrides=(swap,))
    ).segments
    assert [(s.person, s.reason, s.start, s.end) for s in segments if s.role is Role.PRIMARY] == [
        ("david", Reason.ROTATION, MON - timedelta(days=2), MON - timedelta(days=1)),
        ("carol", Reason.SWAP, MON - timedelta(days=1), MON + timedelta(days=1)),
        ("alice", Reason.ROTATION, MON + timedelta(days=1), NEXT_MON),
    ]


def test_segments_are_sorted_by_start_then_role() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=NY)
    segments = resolve(WEEK6, start, start + timedelta(days=14), ScheduleInputs(calendar=US)).segments
    assert segments == sorted(segments, key=lambda s: (s.start, s.role is Role.BACKUP))


def test_the_resolution_lists_the_holidays_it_touches() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=NY)
    resolution = resolve(WEEK6, start, start + timedelta(days=7), ScheduleInputs(calendar=US))
    assert [(d.holiday.name, d.person) for d in resolution.duties] == [("Thanksgiving Day", "david")]
    assert resolution.at(datetime(2026, 11, 26, 12, tzinfo=NY), Role.PRIMARY).person == "david"  # type: ignore[union-attr]
    assert resolution.at(start - timedelta(seconds=1), Role.PRIMARY) is None
    assert resolution.gaps == []


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
    # An interval that starts before the first handoff is answered from the first handoff on.
    segments = resolve(WEEK6, start, datetime(2026, 1, 6, tzinfo=NY), ScheduleInputs(calendar=US)).segments
    assert [(s.person, s.start) for s in segments] == [
        ("alice", datetime(2026, 1, 5, 9, tzinfo=NY)),
        ("bob", datetime(2026, 1, 5, 9, tzinfo=NY)),
    ]
