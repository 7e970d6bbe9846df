"""The audit log: who changed what, when, and through which door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    source: str
    action: str
    subject: str
    detail: str


async def record(
    session: AsyncSession,
    *,
    actor: str,
    source: str,
    action: str,
    subject: str,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Append an entry; it commits with the change it describes."""
    session.add(
        AuditRow(
            at=at or datetime.now(UTC),
            actor=actor,
            source=source,
            action=action,
            subject=subject[:200],
            detail=detail,
        )
    )


async def recent(session: AsyncSession, *, limit: int) -> list[AuditEntry]:
    """The newest entries first."""
    rows = await session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
    return [AuditEntry(r.at, r.actor, r.source, r.action, r.subject, r.detail) for r in rows]
