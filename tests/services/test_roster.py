"""Whose shifts a team-file change moved, and what they are told."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import Reason, Role, Segment
from bot.features.oncall.roster import moved_shifts, roster_changes
from bot.features.oncall.views import load_view
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.messages.roster import roster_change_blocks
from tests.slack.blocks_check import assert_valid_blocks

NY = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 12, 7, 9, tzinfo=NY)
WEEK6 = load_team_file(Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml")


def seg(person: str, start_day: int, end_day: int, reason: Reason = Reason.ROTATION) -> Segment:
    return Segment(
        "data-oncall",
        Role.PRIMARY,
        person,
        MONDAY + timedelta(days=start_day),
        MONDAY + timedelta(days=end_day),
        reason,
    )


def test_a_holiday_that_splits_a_week_held_by_one_person_is_no_change() -> None:
    week = [seg("alice", 0, 7)]
    split = [seg("alice", 0, 3), seg("alice", 3, 4, Reason.HOLIDAY), seg("alice", 4, 7)]
    assert moved_shifts(week, split) == []


def test_a_day_handed_over_shows_on_both_sides() -> None:
    [alice, bob] = moved_shifts(
        [seg("alice", 0, 7)], [seg("alice", 0, 3), seg("bob", 3, 4), seg("alice", 4, 7)]
    )
    assert alice.person == "alice" and [(s.start, s.end) for s in alice.lost] == [
        (MONDAY, MONDAY + timedelta(7))
    ]
    assert [(s.start.day, s.end.day) for s in alice.gained] == [(7, 10), (11, 14)]
    assert bob.person == "bob" and bob.lost == () and [s.start.day for s in bob.gained] == [10]


people = st.sampled_from(["alice", "bob", "carol"])


@given(st.lists(st.tuples(people, st.integers(0, 27)), max_size=12))
def test_the_same_schedule_moves_nobody(days: list[tuple[str, int]]) -> None:
    segments = [seg(person, day, day + 1) for person, day in days]
    assert moved_shifts(segments, list(reversed(segments))) == []


async def test_dropping_a_member_tells_everyone_whose_weeks_moved(session: AsyncSession) -> None:
    await import_team(session, team=WEEK6, actor="t", source="cli")
    old = await load_view(session)
    [rotation] = WEEK6.rotations
    without_carol = WEEK6.model_copy(
        update={"rotations": [rotation.model_copy(update={"members": ["alice", "bob", "david"]})]}
    )
    await import_team(session, team=without_carol, actor="t", source="cli")
    new = await load_view(session)
    moved = {m.person: m for m in await roster_changes(session, old=old, new=new, at=MONDAY)}
    assert set(moved) == {"alice", "bob", "carol", "david"}
    assert moved["carol"].gained == () and moved["carol"].lost
    assert await roster_changes(session, old=new, new=new, at=MONDAY) == []


def test_the_message_says_what_is_now_theirs_and_what_no_longer_is() -> None:
    [alice, bob] = sorted(moved_shifts([seg("alice", 0, 7)], [seg("bob", 0, 7)]), key=lambda m: m.person)
    blocks = roster_change_blocks(alice, "America/New_York")
    assert_valid_blocks(blocks)
    assert "*No longer yours*" in str(blocks) and "Now yours" not in str(blocks)
    assert "primary for *data-oncall*" in str(blocks)
    assert "*Now yours*" in str(roster_change_blocks(bob, "America/New_York"))
