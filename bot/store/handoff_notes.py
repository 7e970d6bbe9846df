"""Notes for the next handoff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import HandoffNote


async def add_note(
    session: AsyncSession, *, rotation: str, handoff_at: datetime, author: str, text: str, at: datetime
) -> None:
    session.add(
        HandoffNote(rotation=rotation, handoff_at=handoff_at, author=author, text=text, created_at=at)
    )
    await session.flush()


async def notes_for(session: AsyncSession, *, rotation: str, handoff_at: datetime) -> list[tuple[str, str]]:
    """(author, text) of the notes left for one handoff, oldest first."""
    rows = await session.scalars(
        select(HandoffNote)
        .where(HandoffNote.rotation == rotation, HandoffNote.handoff_at == handoff_at)
        .order_by(HandoffNote.id)
    )
    return [(r.author, r.text) for r in rows]
