"""Swap requests against the real engine and store, on SQLite and PostgreSQL, races included."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule.model import Override, Reason, Role, spell
from bot.core.swap_plan import Span
from bot.features.oncall.views import TeamView, on_call
from bot.features.swaps import decisions as decide
from bot.features.swaps.requests import (
    Proposal,
    SwapRefused,
    duty_during,
    next_duty,
    request_swap,
    requests_of,
)
from bot.store import audit
from bot.store.models import OverrideRow
from bot.store.schedule import add_absence, add_override
from bot.store.swaps import SwapRequest, get_request, not_over

NY = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]
# Wednesday of David's primary week (Alice backup); then Alice/Bob, Bob/Carol, Carol/David, David/Alice.
NOW = datetime(2027, 2, 24, 12, tzinfo=NY)


def monday(day: int) -> datetime:
    return datetime(2027, 3, day, 9, tzinfo=NY)


WEEK_ALICE = Span(monday(1), monday(8))  # alice primary, bob backup
WEEK_BOB = Span(monday(8), monday(15))  # bob primary, carol backup
WEEK_CAROL = Span(monday(15), monday(22))  # carol primary, david backup


async def ask(
    session: AsyncSession,
    team: TeamView,
    requester: str,
    teammate: str,
    give: Span,
    take: Span | None = None,
    at: datetime = NOW,
) -> SwapRequest:
    proposal = Proposal("data-oncall", "exchange" if take else "cover", give, take)
    people = team.people
    swap, _ = await request_swap(
        session,
        view=team,
        requester=people[requester],
        teammate=people[teammate],
        proposal=proposal,
        reason="family",
        source="slack",
        at=at,
    )
    return swap


async def holders(session: AsyncSession, at: datetime) -> tuple[str | None, str | None, Reason | None]:
    [now] = await on_call(session, at=at)
    assert now.primary and now.backup
    return now.primary.person, now.backup.person, now.primary.reason


async def overrides(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(OverrideRow)) or 0)


async def test_shifts_are_found_by_date_and_by_what_comes_next(session: AsyncSession, team: TeamView) -> None:
    alice = team.people["alice"]
    day = Span(datetime(2027, 3, 1, tzinfo=NY), datetime(2027, 3, 2, tzinfo=NY))
    mine = await duty_during(session, view=team, person=alice.id, span=day)
    assert mine is not None and mine.span == WEEK_ALICE and mine.roles == (Role.PRIMARY,)
    # Bob is backup in Alice's week; his next shift that does not overlap hers is his primary week.
    theirs = await next_duty(
        session, view=team, person="bob", rotation="data-oncall", after=NOW, avoiding=mine.span
    )
    assert theirs is not None and theirs.span == WEEK_BOB


async def test_exchange_approved_changes_the_schedule_with_reasons(
    session: AsyncSession, team: TeamView
) -> None:
    swap = await ask(session, team, "alice", "carol", WEEK_ALICE, WEEK_CAROL)
    assert swap.state == "pending" and swap.expires_at == WEEK_ALICE.start
    decided = await decide.approve(
        session, view=team, swap_id=swap.id, person=team.people["carol"], at=NOW, source="slack"
    )
    assert decided.swap.state == "approved" and len(decided.swap.override_ids) == 2
    assert await holders(session, monday(2)) == ("carol", "bob", Reason.SWAP)
    assert await holders(session, monday(16)) == ("alice", "david", Reason.SWAP)
    [now] = await on_call(session, at=monday(2))
    assert now.primary is not None and spell(now.primary.detail) == f"swap #{swap.id} with Alice"
    [entry, *_] = await audit.recent(session, limit=1)
    assert (entry.action, entry.actor, entry.subject) == ("swap.approve", "carol", f"swap #{swap.id}")


async def test_exchange_with_ones_own_backup_keeps_two_people(session: AsyncSession, team: TeamView) -> None:
    swap = await ask(session, team, "alice", "bob", WEEK_ALICE, WEEK_BOB)
    await decide.approve(
        session, view=team, swap_id=swap.id, person=team.people["bob"], at=NOW, source="slack"
    )
    assert (await holders(session, monday(2)))[:2] == ("bob", "alice")
    assert (await holders(session, monday(9)))[:2] == ("alice", "carol")


@pytest.mark.parametrize(
    ("requester", "teammate", "give", "take", "says"),
    [
        ("alice", "bob", WEEK_ALICE, None, "Bob would be primary and backup at once"),
        ("alice", "alice", WEEK_ALICE, None, "cannot swap with yourself"),
        ("david", "bob", Span(monday(1) - timedelta(days=7), monday(1)), None, "has already started"),
        ("alice", "carol", WEEK_ALICE, Span(monday(2), monday(9)), "the two shifts overlap"),
        ("alice", "carol", WEEK_BOB, None, "Alice holds no shift"),
    ],
)
async def test_rules(
    session: AsyncSession,
    team: TeamView,
    requester: str,
    teammate: str,
    give: Span,
    take: Span | None,
    says: str,
) -> None:
    with pytest.raises(SwapRefused, match=says):
        await ask(session, team, requester, teammate, give, take)


async def test_nobody_is_scheduled_while_away(session: AsyncSession, team: TeamView) -> None:
    start = datetime(2027, 3, 3, tzinfo=NY)
    await add_absence(
        session, person="carol", start=start, end=start + timedelta(days=2), reason="dentist", actor="carol",
        source="slack", at=NOW,
    )  # fmt: skip
    with pytest.raises(SwapRefused, match=r"Carol is away from Wed 03 Mar 00:00 EST .* \(dentist\)"):
        await ask(session, team, "alice", "carol", WEEK_ALICE)


async def test_outsiders_cannot_swap(session: AsyncSession, team: TeamView) -> None:
    rotation = team.rotations["data-oncall"]
    smaller = replace(team, rotations={"data-oncall": replace(rotation, members=("alice", "bob", "carol"))})
    with pytest.raises(SwapRefused, match="David is not in the data-oncall rotation"):
        await ask(session, smaller, "alice", "david", WEEK_ALICE)


async def test_conflicts_with_a_pending_request_or_an_override(session: AsyncSession, team: TeamView) -> None:
    first = await ask(session, team, "alice", "carol", WEEK_ALICE)
    with pytest.raises(SwapRefused, match=f"overlaps swap request #{first.id} between Alice and Carol"):
        await ask(session, team, "bob", "david", Span(monday(1), monday(8)))
    volunteer = Override(
        "data-oncall", Role.BACKUP, "david", monday(9), monday(10), Reason.VOLUNTEER, note="volunteered"
    )
    await add_override(session, override=volunteer, actor="david", source="slack", at=NOW)
    with pytest.raises(SwapRefused, match=r"David already holds backup by volunteer \(volunteered\)"):
        await ask(session, team, "bob", "david", WEEK_BOB)


async def test_only_the_teammate_answers_and_a_decided_request_stays_decided(
    session: AsyncSession, team: TeamView
) -> None:
    swap = await ask(session, team, "alice", "carol", WEEK_ALICE)
    with pytest.raises(decide.NotYours):
        await decide.approve(
            session, view=team, swap_id=swap.id, person=team.people["david"], at=NOW, source="slack"
        )
    await decide.decline(session, swap_id=swap.id, person=team.people["carol"], at=NOW, source="slack")
    with pytest.raises(decide.SwapClosed, match="declined already"):
        await decide.approve(
            session, view=team, swap_id=swap.id, person=team.people["carol"], at=NOW, source="slack"
        )
    assert await overrides(session) == 0
    assert await holders(session, monday(2)) == ("alice", "bob", Reason.ROTATION)


async def test_cancel_and_who_may(session: AsyncSession, team: TeamView) -> None:
    swap = await ask(session, team, "alice", "carol", WEEK_ALICE)
    with pytest.raises(SwapRefused, match="not yours"):
        await decide.cancel(session, swap_id=swap.id, person=team.people["bob"], at=NOW, source="slack")
    cancelled = await decide.cancel(
        session, swap_id=swap.id, person=team.people["alice"], at=NOW, source="slack"
    )
    assert cancelled.swap.state == "cancelled"
    with pytest.raises(decide.SwapClosed, match="cancelled already"):
        await decide.approve(
            session, view=team, swap_id=swap.id, person=team.people["carol"], at=NOW, source="slack"
        )
    mine, waiting = await requests_of(session, person="carol", at=NOW)
    assert (mine, waiting) == ([], [])


async def test_expiry_at_the_earliest_start(session: AsyncSession, team: TeamView) -> None:
    swap = await ask(session, team, "bob", "alice", WEEK_BOB, Span(monday(1) + timedelta(hours=1), monday(8)))
    assert swap.expires_at == monday(1) + timedelta(hours=1)
    assert await decide.expire_due(session, at=swap.expires_at - timedelta(seconds=1)) == []
    [expired] = await decide.expire_due(session, at=swap.expires_at)
    assert expired.state == "expired" and expired.decided_by == "scheduler"
    assert await decide.expire_due(session, at=swap.expires_at) == []


async def test_a_click_after_the_start_finds_it_expired(session: AsyncSession, team: TeamView) -> None:
    swap = await ask(session, team, "alice", "carol", WEEK_ALICE)
    with pytest.raises(decide.SwapClosed, match="expired already"):
        await decide.approve(
            session, view=team, swap_id=swap.id, person=team.people["carol"], at=monday(1), source="slack"
        )
    assert await overrides(session) == 0


async def test_admin_reverses_an_applied_swap(session: AsyncSession, team: TeamView) -> None:
    swap = await ask(session, team, "bob", "david", WEEK_BOB)
    await decide.approve(
        session, view=team, swap_id=swap.id, person=team.people["david"], at=NOW, source="slack"
    )
    assert await holders(session, monday(9)) == ("david", "carol", Reason.SWAP)
    with pytest.raises(SwapRefused, match="ask an admin"):
        await decide.cancel(session, swap_id=swap.id, person=team.people["bob"], at=NOW, source="slack")
    with pytest.raises(SwapRefused, match="only admins"):
        await decide.reverse(session, swap_id=swap.id, person=team.people["bob"], at=NOW, source="slack")
    reversed_ = await decide.cancel(
        session, swap_id=swap.id, person=team.people["alice"], at=NOW, source="slack"
    )
    assert reversed_.swap.state == "reversed" and await overrides(session) == 0
    assert await holders(session, monday(9)) == ("bob", "carol", Reason.ROTATION)
    [entry] = await audit.recent(session, limit=1)
    assert (entry.action, entry.actor) == (
        "swap.reverse",
        "alice",
    ) and "none ended then, #1 removed" in entry.detail


async def test_reversing_a_swap_under_way_keeps_its_past(session: AsyncSession, team: TeamView) -> None:
    swap = await ask(session, team, "bob", "david", WEEK_BOB)
    await decide.approve(
        session, view=team, swap_id=swap.id, person=team.people["david"], at=NOW, source="slack"
    )
    halfway = monday(10) + timedelta(hours=3)
    reversed_ = await decide.reverse(
        session, swap_id=swap.id, person=team.people["alice"], at=halfway, source="slack"
    )
    assert reversed_.swap.state == "reversed" and await overrides(session) == 1
    assert await holders(session, monday(9)) == ("david", "carol", Reason.SWAP)
    assert await holders(session, halfway - timedelta(seconds=1)) == ("david", "carol", Reason.SWAP)
    assert await holders(session, halfway) == ("bob", "carol", Reason.ROTATION)
    assert await holders(session, monday(12)) == ("bob", "carol", Reason.ROTATION)
    [entry] = await audit.recent(session, limit=1)
    assert entry.detail.endswith(f"undone from {halfway.isoformat()}: overrides #1 ended then, none removed")
    with pytest.raises(decide.SwapClosed, match="reversed already"):
        await decide.reverse(
            session, swap_id=swap.id, person=team.people["alice"], at=halfway, source="slack"
        )


async def test_double_approval_applies_once(
    session_maker: async_sessionmaker[AsyncSession], session: AsyncSession, team: TeamView
) -> None:
    swap = await ask(session, team, "alice", "carol", WEEK_ALICE, WEEK_CAROL)

    async def approve() -> str:
        async with session_maker() as other:
            try:
                await decide.approve(
                    other, view=team, swap_id=swap.id, person=team.people["carol"], at=NOW, source="slack"
                )
            except decide.SwapClosed as error:
                return str(error)
            return "won"

    outcomes = await asyncio.gather(approve(), approve())
    assert sorted(outcomes) == [f"swap request #{swap.id} is approved already", "won"]
    assert await overrides(session) == 2


async def test_approve_racing_decline_ends_one_way(
    session_maker: async_sessionmaker[AsyncSession], session: AsyncSession, team: TeamView
) -> None:
    swap = await ask(session, team, "alice", "carol", WEEK_ALICE, WEEK_CAROL)
    carol = team.people["carol"]

    async def answer(approve: bool) -> str:
        async with session_maker() as other:
            try:
                if approve:
                    await decide.approve(
                        other, view=team, swap_id=swap.id, person=carol, at=NOW, source="slack"
                    )
                else:
                    await decide.decline(other, swap_id=swap.id, person=carol, at=NOW, source="slack")
            except decide.SwapClosed:
                return "lost"
            return "approved" if approve else "declined"

    outcomes = await asyncio.gather(answer(True), answer(False))
    assert sorted(outcomes) in (["approved", "lost"], ["declined", "lost"])
    winner = next(o for o in outcomes if o != "lost")
    async with session_maker() as fresh:
        final = await get_request(fresh, swap.id)
        assert final is not None and final.state == winner
        assert await overrides(fresh) == (2 if winner == "approved" else 0)


async def test_two_conflicting_requests_at_once_store_one(
    session_maker: async_sessionmaker[AsyncSession], team: TeamView
) -> None:
    async def request(teammate: str) -> str:
        async with session_maker() as other:
            try:
                await ask(other, team, "alice", teammate, WEEK_ALICE)
            except SwapRefused as error:
                return str(error)
            return "stored"

    outcomes = await asyncio.gather(request("carol"), request("david"))
    assert outcomes.count("stored") == 1, outcomes
    [refused] = [o for o in outcomes if o != "stored"]
    assert "overlaps swap request #" in refused and "still waiting for an answer" in refused
    async with session_maker() as fresh:
        assert len(await not_over(fresh, states=["pending"], after=NOW)) == 1
