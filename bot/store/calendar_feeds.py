"""Calendar feed secrets, kept only as SHA-256 fingerprints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import CalendarFeed


@dataclass(frozen=True)
class Feed:
    person_id: str
    rotation: str | None
    revoked_at: datetime | None


async def create_feed(
    session: AsyncSession, *, person: str, rotation: str | None, secret_hash: str, at: datetime
) -> None:
    """Store a feed by its secret's fingerprint; rotation None is the person's own shifts."""
    session.add(CalendarFeed(person_id=person, rotation=rotation, secret_hash=secret_hash, created_at=at))


async def active_feeds(session: AsyncSession, *, person: str) -> int:
    """How many live feeds a person has."""
    rows = await session.scalars(
        select(CalendarFeed.id).where(CalendarFeed.person_id == person, CalendarFeed.revoked_at.is_(None))
    )
    return len(rows.all())


async def feed_by_hash(session: AsyncSession, secret_hash: str) -> Feed | None:
    """The feed with this fingerprint, revoked or not; None when there is none."""
    row = await session.scalar(select(CalendarFeed).where(CalendarFeed.secret_hash == secret_hash))
    return None if row is None else Feed(row.person_id, row.rotation, row.revoked_at)


async def revoke_feeds(session: AsyncSession, *, person: str, at: datetime) -> int:
    """Revoke every live feed of a person; how many were revoked."""
    result = await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.person_id == person, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)
