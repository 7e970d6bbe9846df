"""The post ledger on SQLite and PostgreSQL: one claim wins, however many race for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store import ledger

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


async def try_claim(sessions: Sessions, owner: str, now: datetime = NOW) -> bool:
    async with sessions.begin() as session:
        return await ledger.claim(session, key="handoff:ops:2026-11-23", job="handoff", owner=owner, now=now)


async def test_two_processes_racing_claim_once(session_maker: Sessions) -> None:
    results = await asyncio.gather(*(try_claim(session_maker, f"replica-{i}") for i in range(6)))
    assert sorted(results) == [False] * 5 + [True]


async def test_a_sent_post_is_never_claimed_again(session_maker: Sessions) -> None:
    assert await try_claim(session_maker, "a")
    async with session_maker.begin() as session:
        await ledger.mark_sent(session, key="handoff:ops:2026-11-23", channel="C1", ts="1.2", now=NOW)
    assert not await try_claim(session_maker, "b", NOW + timedelta(days=1))


async def test_a_released_claim_can_be_taken_again(session_maker: Sessions) -> None:
    assert await try_claim(session_maker, "a")
    async with session_maker.begin() as session:
        await ledger.release(session, key="handoff:ops:2026-11-23")
    assert await try_claim(session_maker, "b")


async def test_an_abandoned_claim_is_taken_over_after_its_lease(session_maker: Sessions) -> None:
    assert await try_claim(session_maker, "died-mid-send")
    assert not await try_claim(session_maker, "b", NOW + timedelta(minutes=5))
    assert await try_claim(session_maker, "b", NOW + ledger.LEASE + timedelta(seconds=1))


async def test_a_refused_post_is_held_until_its_time_and_a_second_refusal_is_known(
    session_maker: Sessions,
) -> None:
    assert await try_claim(session_maker, "a")
    later = NOW + timedelta(minutes=15)
    async with session_maker.begin() as session:
        assert not await ledger.hold(session, key="handoff:ops:2026-11-23", until=later)
        assert await ledger.held_until(session, "handoff:ops:2026-11-23") == later
    assert not await try_claim(session_maker, "b", NOW + timedelta(minutes=14))
    assert await try_claim(session_maker, "b", later)
    async with session_maker.begin() as session:
        assert await ledger.hold(session, key="handoff:ops:2026-11-23", until=later + timedelta(minutes=15))
        assert await ledger.sent(session, ["handoff:ops:2026-11-23"]) == set()
