"""The post ledger: a scheduled post is claimed under its unique key before it is sent, so two
processes, a restart or a retry never send it twice, and a failed send can be claimed again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PostLedger

LEASE = timedelta(minutes=10)  # a claim older than this was left by a process that died mid-send


async def claim(session: AsyncSession, *, key: str, job: str, owner: str, now: datetime) -> bool:
    """True when this caller may send the post `key`; commits the claim first."""
    session.add(PostLedger(key=key, job=job, status="claimed", claimed_by=owner, lease_until=now + LEASE))
    try:
        await session.commit()
        return True
    except IntegrityError:
        await session.rollback()
    takeover = (
        update(PostLedger)
        .where(PostLedger.key == key, PostLedger.status == "claimed", PostLedger.lease_until < now)
        .values(claimed_by=owner, lease_until=now + LEASE)
    )
    taken = (await session.execute(takeover)).rowcount  # type: ignore[attr-defined]
    await session.commit()
    return bool(taken)


async def mark_sent(session: AsyncSession, *, key: str, channel: str, ts: str, now: datetime) -> None:
    """Keep where the post went, so it can be updated in place or threaded on later."""
    done = (
        update(PostLedger)
        .where(PostLedger.key == key)
        .values(status="sent", channel=channel, ts=ts, sent_at=now)
    )
    await session.execute(done)
    await session.commit()


async def sent_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of these posts were claimed or sent already."""
    return set(await session.scalars(select(PostLedger.key).where(PostLedger.key.in_(list(keys)))))


async def posted(session: AsyncSession, key: str) -> tuple[str, str] | None:
    """Where a sent post went (channel, ts), for threading under it or updating it."""
    row = await session.get(PostLedger, key)
    return (row.channel, row.ts) if row and row.status == "sent" and row.channel and row.ts else None


async def release(session: AsyncSession, *, key: str) -> None:
    """Give up a claim whose send failed for good, so a later attempt can send it."""
    await session.execute(delete(PostLedger).where(PostLedger.key == key, PostLedger.status == "claimed"))
    await session.commit()
