"""The revision of each calendar event a feed has shown: RFC 5545's SEQUENCE and DTSTAMP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.conflicts import conflict_insert
from bot.store.models import CalendarEventRevision


@dataclass(frozen=True)
class Revision:
    sequence: int
    revised_at: datetime


async def revisions(session: AsyncSession, shown: dict[str, str], *, at: datetime) -> dict[str, Revision]:
    """The revision of each event (uid -> what it shows now): a new one starts at 0, and one that
    shows something else than last time is a revision later, made `at`."""
    rows = {
        r.uid: r
        for r in await session.scalars(
            select(CalendarEventRevision).where(CalendarEventRevision.uid.in_(list(shown)))
        )
    }
    found: dict[str, Revision] = {}
    for uid, now_shown in shown.items():
        row = rows.get(uid)
        if row is None:
            found[uid] = Revision(0, at)
            await _insert(session, uid, now_shown, at)
        elif row.shown != now_shown:
            found[uid] = Revision(row.sequence + 1, at)
            await session.execute(
                update(CalendarEventRevision)
                .where(CalendarEventRevision.uid == uid, CalendarEventRevision.shown == row.shown)
                .values(shown=now_shown, sequence=row.sequence + 1, revised_at=at)
            )
        else:
            found[uid] = Revision(row.sequence, row.revised_at)
    return found


async def _insert(session: AsyncSession, uid: str, shown: str, at: datetime) -> None:
    # Two replicas serving the same feed at once: the first one's row stands.
    statement = conflict_insert(session, CalendarEventRevision).values(
        uid=uid, shown=shown, sequence=0, revised_at=at
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=[CalendarEventRevision.uid]))
