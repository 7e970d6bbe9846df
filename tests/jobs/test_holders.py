"""Who holds each role over a shift, holiday covers set aside; and who the user group holds when."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.holders import incoming, outgoing, pairs, turns
from bot.core.schedule.model import Reason, Role, Segment

P, B = Role.PRIMARY, Role.BACKUP
R, H, S = Reason.ROTATION, Reason.HOLIDAY, Reason.SWAP


def day(n: int) -> datetime:
    return datetime(2026, 9, n, tzinfo=UTC)


def seg(role: Role, person: str | None, start: int, end: int, reason: Reason = R) -> Segment:
    return Segment("data-oncall", role, person, day(start), day(end), reason)


# A shift from the 7th to the 14th whose first day is a holiday covered by alice (bob standing in).
HOLIDAY_FIRST = [
    seg(P, "alice", 7, 8, H),
    seg(B, "bob", 7, 8, H),
    seg(P, "david", 8, 14),
    seg(B, "alice", 8, 14),
]
# Carol's week with a holiday on the 10th that david, her backup, covers (alice standing in), and
# a swap giving carol's last day to bob.
HOLIDAY_INSIDE = [
    seg(P, "carol", 7, 10),
    seg(B, "david", 7, 10),
    seg(P, "david", 10, 11, H),
    seg(B, "alice", 10, 11, H),
    seg(P, "carol", 11, 13),
    seg(B, "david", 11, 14),
    seg(P, "bob", 13, 14, S),
]


@pytest.mark.parametrize(
    ("segments", "first", "last"),
    [
        (HOLIDAY_FIRST, ("david", "alice"), ("david", "alice")),
        (HOLIDAY_INSIDE, ("carol", "david"), ("bob", "david")),
        ([seg(P, "alice", 7, 14, H), seg(B, "bob", 7, 14, H)], ("alice", "bob"), ("alice", "bob")),
        ([], (None, None), (None, None)),
    ],
)
def test_incoming_and_outgoing_leave_holiday_covers_aside(
    segments: list[Segment], first: tuple[str | None, ...], last: tuple[str | None, ...]
) -> None:
    assert tuple(s.person if s else None for s in incoming(segments, day(7), day(14))) == first
    assert tuple(s.person if s else None for s in outgoing(segments, day(7), day(14))) == last


def test_turns_give_each_person_their_own_hours_around_the_holidays() -> None:
    found = {(t.person, t.role): t.spans for t in turns(HOLIDAY_INSIDE, day(7), day(14))}
    assert found == {
        ("carol", P): ((day(7), day(10)), (day(11), day(13))),
        ("bob", P): ((day(13), day(14)),),
        ("david", B): ((day(7), day(10)), (day(11), day(14))),
    }


def test_turns_join_the_same_person_held_for_another_reason() -> None:
    segments = [seg(P, "carol", 7, 10), seg(P, "carol", 10, 14, S), seg(B, "david", 7, 14)]
    [carol, david] = turns(segments, day(7), day(14))
    assert (carol.person, carol.spans) == ("carol", ((day(7), day(14)),))
    assert (david.person, david.role) == ("david", B)


def test_pairs_change_only_when_someone_does() -> None:
    found = [(p.primary, p.backup, p.start.day, p.end.day) for p in pairs(HOLIDAY_INSIDE, day(7), day(14))]
    assert found == [
        ("carol", "david", 7, 10),
        ("david", "alice", 10, 11),
        ("carol", "david", 11, 13),
        ("bob", "david", 13, 14),
    ]
