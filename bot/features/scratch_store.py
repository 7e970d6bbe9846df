"""Copying the team and its schedule from one store into another, for the local shell's scratch store:
what the team looks like, who is away, who swapped, but nothing the bot posted, asked or was told."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.models import Base, TeamSettings

# The rows that make up who is on call when; the post ledger, incidents, swap requests, calls for a
# volunteer, the audit log, calendar secrets and Slack's answers by email stay behind.
TEAM_AND_SCHEDULE = frozenset(
    {
        "team_settings",
        "company_holidays",
        "pinned_holidays",
        "people",
        "pipelines",
        "rotations",
        "rotation_members",
        "rotation_backup_pairs",
        "absences",
        "overrides",
    }
)


async def copy_team(source: AsyncEngine, target: AsyncEngine) -> bool:
    """Copy the team and schedule of `source` into the empty, migrated `target`; False (and nothing
    copied) when `source` holds no team."""
    tables = [t for t in Base.metadata.sorted_tables if t.name in TEAM_AND_SCHEDULE]  # parents first
    async with source.connect() as reading:
        if await reading.scalar(select(TeamSettings.id)) is None:
            return False
        rows = {t.name: [dict(r) for r in (await reading.execute(select(t))).mappings()] for t in tables}
    async with target.begin() as writing:
        for table in tables:
            if rows[table.name]:
                await writing.execute(insert(table), rows[table.name])
    return True
