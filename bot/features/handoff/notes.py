"""Notes the primary on call leaves for the next handoff: only the primary may, committed here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.team import Person
from bot.features.oncall.views import OnCall, TeamView, on_call
from bot.store.handoff_notes import add_note


class NoteRefused(Exception):
    """Why a note for the handoff was not kept, in words for the person who wrote it."""


async def leave_note(
    session: AsyncSession, *, view: TeamView, person: Person, text: str, at: datetime
) -> list[OnCall]:
    """Keep the note for the next handoff of each rotation `person` is primary of now; those rotations."""
    mine = [
        a for a in await on_call(session, at=at, view=view) if a.primary and a.primary.person == person.id
    ]
    if not mine:
        raise NoteRefused(
            "Only the primary on call can leave notes for the handoff; you are not primary now."
        )
    for answer in mine:
        assert answer.next_handoff is not None
        await add_note(
            session,
            rotation=answer.rotation.name,
            handoff_at=answer.next_handoff,
            author=person.id,
            text=text,
            at=at,
        )
    await session.commit()
    return mine
