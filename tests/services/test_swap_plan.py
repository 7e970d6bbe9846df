"""The pure part of swaps: people's shifts, the role changes a swap makes, and what they would break."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.schedule.model import Absence, Reason, Role, Segment
from bot.core.swap_plan import Change, Span, describe, duties, plan, problems

P, B = Role.PRIMARY, Role.BACKUP
MONDAY = datetime(2027, 3, 1, 14, tzinfo=UTC)
WEEK = timedelta(weeks=1)


def week(n: int) -> Span:
    return Span(MONDAY + n * WEEK, MONDAY + (n + 1) * WEEK)


def seg(role: Role, person: str | None, span: Span, reason: Reason = Reason.ROTATION) -> Segment:
    return Segment("ops", role, person, span.start, span.end, reason)


# Four weeks of a plain rotation: alice/bob, bob/carol, carol/david, david/alice.
PAIRS = [("alice", "bob"), ("bob", "carol"), ("carol", "david"), ("david", "alice")]
PLAIN = [
    seg(role, person, week(n))
    for n, pair in enumerate(PAIRS)
    for role, person in zip((P, B), pair, strict=True)
]
STARTS = [week(n).start for n in range(4)]


def test_duties_are_cut_at_handoffs_even_when_the_role_runs_on() -> None:
    # Bob is backup in week 0 and primary in week 1: two shifts, not one long one.
    found = duties(PLAIN, "bob", STARTS)
    assert [(d.span, d.roles) for d in found] == [(week(0), (B,)), (week(1), (P,))]


def test_duties_join_roles_within_one_shift() -> None:
    half = MONDAY + timedelta(days=3)
    segments = [
        seg(P, "alice", Span(MONDAY, half)),
        seg(P, "carol", Span(half, week(0).end), Reason.HOLIDAY),
        seg(B, "bob", Span(MONDAY, half)),
        seg(B, "alice", Span(half, week(0).end), Reason.HOLIDAY),
    ]
    [duty] = duties(segments, "alice", STARTS[:1])
    assert duty.span == week(0) and duty.roles == (P, B)


@pytest.mark.parametrize(
    ("mode", "requester", "teammate", "give", "take", "expected"),
    [
        # Cover: carol takes alice's primary week; bob stays backup.
        ("cover", "alice", "carol", week(0), None, [Change(P, "carol", "alice", week(0))]),
        # Exchange of two primary weeks: the other role is untouched.
        (
            "exchange",
            "alice",
            "carol",
            week(0),
            week(2),
            [Change(P, "carol", "alice", week(0)), Change(P, "alice", "carol", week(2))],
        ),
        # Exchange with the backup of the same pair: they trade roles, still two people.
        (
            "exchange",
            "alice",
            "bob",
            week(0),
            week(1),
            [
                Change(P, "bob", "alice", week(0)),
                Change(B, "alice", "bob", week(0)),
                Change(P, "alice", "bob", week(1)),
            ],
        ),
    ],
)
def test_plan(
    mode: str, requester: str, teammate: str, give: Span, take: Span | None, expected: list[Change]
) -> None:
    changes = plan(mode, PLAIN, requester=requester, teammate=teammate, give=give, take=take)  # type: ignore[arg-type]
    assert changes == expected


def test_part_of_a_shift_changes_only_that_part() -> None:
    part = Span(MONDAY + timedelta(days=2), MONDAY + timedelta(days=4))
    assert plan("cover", PLAIN, requester="alice", teammate="carol", give=part, take=None) == [
        Change(P, "carol", "alice", part)
    ]


def check(changes: list[Change], *, after: list[Segment] | None = None, absences: list[Absence] = (), **kw):  # type: ignore[no-untyped-def,assignment]
    return problems(
        changes,
        mode=kw.get("mode", "cover"),
        requester=kw.get("requester", "alice"),
        teammate=kw.get("teammate", "bob"),
        give=kw.get("give", week(0)),
        take=kw.get("take"),
        before=PLAIN,
        after=PLAIN if after is None else after,
        absences=absences,
    )


def test_cover_by_the_backup_would_make_them_both() -> None:
    changes = plan("cover", PLAIN, requester="alice", teammate="bob", give=week(0), take=None)
    [problem] = check(changes, after=[seg(P, "bob", week(0)), seg(B, "carol", week(0))])
    assert problem.kind == "both_roles" and problem.person == "bob"


def test_the_teammate_away_is_named_with_the_reason() -> None:
    changes = plan("cover", PLAIN, requester="alice", teammate="carol", give=week(0), take=None)
    trip = Absence("carol", MONDAY + timedelta(days=1), MONDAY + timedelta(days=2), "trip")
    found = check(changes, teammate="carol", absences=[trip], after=[seg(P, "carol", week(0)), *PLAIN[1:]])
    assert [p.kind for p in found] == ["away"]
    names = {"carol": "Carol"}
    text = describe(found[0], names, lambda at: at.strftime("%d %b"))
    assert text == "Carol is away from 02 Mar to 03 Mar (trip)"


def test_an_exchange_needs_something_on_both_sides() -> None:
    changes = plan("exchange", PLAIN, requester="alice", teammate="carol", give=week(1), take=week(2))
    found = check(changes, mode="exchange", teammate="carol", give=week(1), take=week(2))
    assert found[0].kind == "nothing_to_give" and found[0].person == "alice"


def test_the_engines_answer_decides_and_a_new_gap_is_refused() -> None:
    changes = [Change(P, "carol", "alice", week(0))]
    after = [seg(P, None, week(0), Reason.GAP), *PLAIN[1:]]
    [problem] = check(changes, teammate="carol", after=after)
    assert problem.kind == "gap" and problem.role is P
    after = [seg(P, "david", week(0), Reason.ABSENCE), *PLAIN[1:]]
    assert [p.kind for p in check(changes, teammate="carol", after=after)] == ["engine"]


def test_a_clean_swap_has_no_problems() -> None:
    changes = plan("exchange", PLAIN, requester="alice", teammate="carol", give=week(0), take=week(2))
    after = [
        seg(P, "carol", week(0)),
        seg(B, "bob", week(0)),
        *PLAIN[2:4],
        seg(P, "alice", week(2)),
        seg(B, "david", week(2)),
    ]
    assert check(changes, mode="exchange", teammate="carol", take=week(2), after=after) == []
