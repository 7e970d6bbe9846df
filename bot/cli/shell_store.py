"""The store the local shell works on: by default a scratch copy, so that nothing tried there changes
what the real bot does; the real store only when an admin asks for it."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli.errors import UsageError
from bot.cli.store_access import database_exists, open_store, safe_url, upgrade
from bot.cli.store_runs import warn_of_defaults
from bot.features.scratch_store import copy_team
from bot.features.teamfile.loader import TeamFileError, load_team_file
from bot.features.teamfile.service import import_team
from bot.settings import Settings
from bot.store import migrate
from bot.store.db import create_engine, session_factory
from bot.store.team import load_team

SCRATCH = (
    "Scratch store: {origin}. Nothing done in this shell changes the real store or what the bot posts; "
    "the scratch store is gone when the shell ends (`--store real` works on the real one)."
)
REAL = (
    "WARNING: this shell works on the real store ({url}): absences, swaps and incidents made here are "
    "real, and what `run-job` posts here counts as sent, so the bot will not post it again."
)


@dataclass(frozen=True)
class ShellStore:
    sessions: async_sessionmaker[AsyncSession]
    banner: str  # the shell's first line: which store it works on, and what that means
    scratch: bool


@asynccontextmanager
async def shell_store(settings: Settings, *, real: bool) -> AsyncIterator[ShellStore]:
    """The real store (migrated, seeded from the team file when empty), or a scratch one."""
    if real:
        await upgrade(settings)
        async with open_store(settings) as sessions:
            banner = REAL.format(url=safe_url(settings))
            if await _seed_if_empty(sessions, settings):
                banner += f"\nThe store was empty: loaded the team from {settings.team_file}."
            yield ShellStore(sessions, banner, scratch=False)
        return
    with tempfile.TemporaryDirectory(prefix="oncall-shell-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'scratch.db'}"
        await asyncio.to_thread(migrate.upgrade, url)
        engine = create_engine(url)
        try:
            origin = await _fill(engine, settings)
            yield ShellStore(session_factory(engine), SCRATCH.format(origin=origin), scratch=True)
        finally:
            await engine.dispose()


async def _fill(scratch: AsyncEngine, settings: Settings) -> str:
    """Copy the configured store's team and schedule, or else load the team file; where they came from."""
    why_not = await _copy_configured(scratch, settings)
    if why_not is None:
        return f"a copy of the team and schedule in {safe_url(settings)}, taken now"
    await _load_team_file(session_factory(scratch), settings, why=why_not)
    return f"the team from {settings.team_file} ({why_not})"


async def _copy_configured(scratch: AsyncEngine, settings: Settings) -> str | None:
    """None once copied; otherwise why the configured store gave nothing to copy."""
    if not await asyncio.to_thread(database_exists, settings.database_url):
        return f"there is no database file at {safe_url(settings)} yet"  # and none is made by looking
    engine = create_engine(settings.database_url)
    try:
        copied = await copy_team(engine, scratch)
    except (OSError, DBAPIError) as error:
        first_line = str(getattr(error, "orig", error)).splitlines()[0]
        return f"the database at {safe_url(settings)} could not be read: {first_line}"
    finally:
        await engine.dispose()
    return None if copied else f"no team is imported in {safe_url(settings)} yet"


async def _load_team_file(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, *, why: str
) -> None:
    path = settings.team_file
    if not path.is_file():
        raise UsageError(
            f"{why}, and there is no team file at {path} (TEAM_FILE). Run `oncall-bot init` to write a "
            "starter team.yaml and runbooks here, then `TEAM_FILE=team.yaml oncall-bot shell`; or "
            "`oncall-bot import FILE` with your own team file"
        )
    try:
        team = load_team_file(path, runbooks_dir=settings.runbooks_dir)
    except (TeamFileError, OSError) as error:
        raise UsageError(f"{why}, and {path} could not be loaded:\n{error}") from None
    warn_of_defaults(path, team, settings.runbooks_dir)
    async with sessions() as session:
        await import_team(session, team=team, actor="cli", source="import")


async def _seed_if_empty(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> bool:
    """Load the team file into a store that has no team; True when it did."""
    async with sessions() as session:
        if await load_team(session) is not None:
            return False
    await _load_team_file(sessions, settings, why="the store is empty")
    return True
