"""Integrations, found by their secret's SHA-256 (the secret itself is never kept). Nothing here
commits: the caller does, with the audit line."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import IntegrationRow


@dataclass(frozen=True)
class Integration:
    name: str
    kind: str  # alertmanager, generic, heartbeat
    pipeline: str | None  # where alerts that name no pipeline go; a heartbeat's pipeline
    severity: str | None  # overrides what the alerts say
    created_at: datetime
    rotated_at: datetime | None


def _integration(row: IntegrationRow) -> Integration:
    return Integration(row.name, row.kind, row.pipeline, row.severity, row.created_at, row.rotated_at)


async def add(
    session: AsyncSession,
    *,
    name: str,
    kind: str,
    pipeline: str | None,
    severity: str | None,
    secret_hash: str,
    at: datetime,
) -> None:
    """A second one with the same name fails with IntegrityError at flush."""
    session.add(
        IntegrationRow(
            name=name, kind=kind, pipeline=pipeline, severity=severity, secret_hash=secret_hash, created_at=at
        )
    )
    await session.flush()


async def by_name(session: AsyncSession, name: str) -> Integration | None:
    row = await session.scalar(select(IntegrationRow).where(IntegrationRow.name == name))
    return None if row is None else _integration(row)


async def by_secret_hashes(session: AsyncSession, secret_hashes: Collection[str]) -> dict[str, Integration]:
    """The integrations with these secrets' hashes, by hash; an unknown hash is absent."""
    rows = await session.scalars(select(IntegrationRow).where(IntegrationRow.secret_hash.in_(secret_hashes)))
    return {r.secret_hash: _integration(r) for r in rows}


async def all_integrations(session: AsyncSession) -> list[Integration]:
    rows = await session.scalars(select(IntegrationRow).order_by(IntegrationRow.name))
    return [_integration(r) for r in rows]


async def rotate(session: AsyncSession, *, name: str, secret_hash: str, at: datetime) -> bool:
    """Replace the secret; False when there is no such integration."""
    result = await session.execute(
        update(IntegrationRow)
        .where(IntegrationRow.name == name)
        .values(secret_hash=secret_hash, rotated_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def remove(session: AsyncSession, *, name: str) -> bool:
    result = await session.execute(delete(IntegrationRow).where(IntegrationRow.name == name))
    return bool(getattr(result, "rowcount", 0))
