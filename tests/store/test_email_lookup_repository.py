"""Slack's answers by email are kept one per email, the latest winning, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.email_lookups import EmailLookup, email_lookups, record_lookup

ASKED = datetime(2026, 12, 8, 9, tzinfo=ZoneInfo("America/New_York"))


async def test_the_latest_answer_for_an_email_is_kept(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await record_lookup(session, email="bob@example.com", slack_id=None, at=ASKED)
        await record_lookup(session, email="alice@example.com", slack_id="U0ALICE01", at=ASKED)
        await session.commit()
    later = ASKED + timedelta(days=1)
    async with session_maker() as session:  # another replica, knowing nothing of the first answer
        await record_lookup(session, email="bob@example.com", slack_id="U0BOB0001", at=later)
        await session.commit()
    async with session_maker() as session:
        found = await email_lookups(session)
    assert found == {
        "alice@example.com": EmailLookup("alice@example.com", "U0ALICE01", ASKED),
        "bob@example.com": EmailLookup("bob@example.com", "U0BOB0001", later),
    }
    assert found["bob@example.com"].looked_up_at.tzinfo == UTC
