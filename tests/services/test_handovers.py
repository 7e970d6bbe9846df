"""Where one schedule names someone else than another for a role, stretch by stretch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.handovers import Handover, handovers
from bot.core.schedule.model import Reason, Role, Segment

T0 = datetime(2027, 3, 1, tzinfo=UTC)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def seg(role: Role, person: str | None, start: int, end: int, reason: Reason = Reason.ROTATION) -> Segment:
    return Segment("ops", role, person, at(start), at(end), reason)


def test_the_same_people_cut_differently_is_no_change() -> None:
    before = [seg(Role.PRIMARY, "alice", 0, 10), seg(Role.BACKUP, "bob", 0, 10)]
    after = [seg(Role.PRIMARY, "alice", 0, 4), seg(Role.PRIMARY, "alice", 4, 10, Reason.HOLIDAY), *before[1:]]
    assert handovers(before, after) == []


def test_each_stretch_handed_over_with_who_held_it() -> None:
    before = [seg(Role.PRIMARY, "alice", 0, 10), seg(Role.BACKUP, "bob", 0, 10)]
    after = [
        seg(Role.PRIMARY, "alice", 0, 2),
        seg(Role.PRIMARY, "bob", 2, 6, Reason.ABSENCE),
        seg(Role.PRIMARY, "alice", 6, 10),
        seg(Role.BACKUP, "bob", 0, 2),
        seg(Role.BACKUP, "carol", 2, 4, Reason.ABSENCE),
        seg(Role.BACKUP, "carol", 4, 6, Reason.ABSENCE),  # the same holder, cut elsewhere: joined
        seg(Role.BACKUP, "bob", 6, 10),
    ]
    assert handovers(before, after) == [
        Handover(seg(Role.PRIMARY, "alice", 2, 6), seg(Role.PRIMARY, "bob", 2, 6, Reason.ABSENCE)),
        Handover(seg(Role.BACKUP, "bob", 2, 6), seg(Role.BACKUP, "carol", 2, 6, Reason.ABSENCE)),
    ]


def test_a_gap_is_a_handover_to_nobody() -> None:
    before = [seg(Role.BACKUP, "bob", 0, 4)]
    after = [seg(Role.BACKUP, None, 0, 4, Reason.GAP)]
    assert handovers(before, after) == [Handover(before[0], after[0])]
