"""Slack's answers to "who has this email?", kept so that each email is asked once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.conflicts import conflict_insert
from bot.store.models import EmailLookupRow


@dataclass(frozen=True)
class EmailLookup:
    email: str
    slack_id: str | None  # None: no Slack user had this email when asked
    looked_up_at: datetime


async def email_lookups(session: AsyncSession) -> dict[str, EmailLookup]:
    """Every answer kept, by email."""
    rows = await session.scalars(select(EmailLookupRow))
    return {r.email: EmailLookup(r.email, r.slack_id, r.looked_up_at) for r in rows}


async def record_lookup(session: AsyncSession, *, email: str, slack_id: str | None, at: datetime) -> None:
    """Keep Slack's answer for `email`, replacing an earlier one."""
    # An upsert: two replicas asking about the same email at once must not fail on the key.
    statement = conflict_insert(session, EmailLookupRow).values(
        email=email, slack_id=slack_id, looked_up_at=at
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[EmailLookupRow.email],
            set_={"slack_id": statement.excluded.slack_id, "looked_up_at": statement.excluded.looked_up_at},
        )
    )
