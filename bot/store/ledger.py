"""The post ledger: a scheduled post is claimed under its unique key before it is sent, so two
processes, a restart or a retry never send it twice, and a failed send can be claimed again.

A row is `claimed` while a process sends the post, `sent` once Slack has it (with where it went),
or `held` after Slack refused it for a reason retrying cannot fix: nobody claims it again before
its hold ends, and it stays `held` through the next try so a repeated refusal is known as one.

The caller owns the transaction: a claim counts once the caller commits it, before it sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.conflicts import conflict_insert
from bot.store.models import PostLedger

LEASE = timedelta(minutes=10)  # a claim older than this was left by a process that died mid-send
UNSENT = ("claimed", "held")


async def claim(session: AsyncSession, *, key: str, job: str, owner: str, now: datetime) -> bool:
    """True when this caller may send the post `key`: a new claim, or one whose sender died mid-send."""
    row = {"key": key, "job": job, "status": "claimed", "claimed_by": owner, "lease_until": now + LEASE}
    # A row already under the key is left as it is.
    new = conflict_insert(session, PostLedger).values(**row).on_conflict_do_nothing(index_elements=["key"])
    if (await session.execute(new)).rowcount:  # type: ignore[attr-defined]
        return True
    takeover = (
        update(PostLedger)
        .where(PostLedger.key == key, PostLedger.status.in_(UNSENT), PostLedger.lease_until <= now)
        .values(claimed_by=owner, lease_until=now + LEASE)
    )
    return bool((await session.execute(takeover)).rowcount)  # type: ignore[attr-defined]


async def abandoned_since(session: AsyncSession, key: str, now: datetime) -> datetime | None:
    """When the claim on `key` began, if its lease ran out unsent: its process may have died after
    Slack took the post; None for no claim, a live one, or a sent post."""
    row = await session.get(PostLedger, key)
    if row is None or row.status not in UNSENT or row.lease_until > now:
        return None
    return row.lease_until - LEASE


async def mark_sent(session: AsyncSession, *, key: str, channel: str, ts: str, now: datetime) -> None:
    """Keep where the post went, so it can be updated in place or threaded on later."""
    done = (
        update(PostLedger)
        .where(PostLedger.key == key)
        .values(status="sent", channel=channel, ts=ts, sent_at=now)
    )
    await session.execute(done)


async def sent_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of these posts were claimed, held or sent already."""
    return set(await session.scalars(select(PostLedger.key).where(PostLedger.key.in_(list(keys)))))


async def sent(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of these posts Slack has already."""
    query = select(PostLedger.key).where(PostLedger.key.in_(list(keys)), PostLedger.status == "sent")
    return set(await session.scalars(query))


async def sent_at(session: AsyncSession, key: str) -> datetime | None:
    """When Slack got the post; None while it is not sent."""
    row = await session.get(PostLedger, key)
    return row.sent_at if row and row.status == "sent" else None


async def posted(session: AsyncSession, key: str) -> tuple[str, str] | None:
    """Where a sent post went (channel, ts), for threading under it or updating it."""
    row = await session.get(PostLedger, key)
    return (row.channel, row.ts) if row and row.status == "sent" and row.channel and row.ts else None


async def release(session: AsyncSession, *, key: str) -> None:
    """Give up a claim whose send failed, so a later attempt can send it."""
    await session.execute(delete(PostLedger).where(PostLedger.key == key, PostLedger.status.in_(UNSENT)))


async def hold(session: AsyncSession, *, key: str, until: datetime) -> bool:
    """Keep a post Slack refused from being claimed before `until`; True when it was refused before."""
    row = await session.get(PostLedger, key)
    if row is None or row.status == "sent":
        return False
    again = row.status == "held"
    row.status, row.lease_until = "held", until
    return again


async def held_until(session: AsyncSession, key: str) -> datetime | None:
    """When a refused post may be tried again; None unless it is held."""
    row = await session.get(PostLedger, key)
    return row.lease_until if row and row.status == "held" else None
