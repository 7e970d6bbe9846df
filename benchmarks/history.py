"""A SQLite store with the Week 6 team and years of weekly swaps and absences, for the benchmarks."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.schedule.model import Override, Reason, Role
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.store import migrate
from bot.store.db import create_engine, session_factory
from bot.store.schedule import add_absence, add_override

ROOT = Path(__file__).resolve().parents[1]
MEMBERS = ("alice", "bob", "carol", "david")


async def seed_store(url: str, *, years: int, seed: int = 3) -> None:
    """Migrate, import the Week 6 team, and add one swap and one absence a week for `years` years."""
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    rng = random.Random(seed)
    async with session_factory(engine)() as session:
        team = load_team_file(ROOT / "examples" / "week6-team.yaml")
        await import_team(session, team=team, actor="bench", source="cli")
        first = datetime(2026, 1, 5, 14, tzinfo=UTC)
        for week in range(52 * years):
            begin = first + timedelta(weeks=week, hours=rng.randrange(100))
            end = begin + timedelta(hours=12)
            swap = Override("data-oncall", Role.BACKUP, rng.choice(MEMBERS), begin, end, Reason.SWAP)
            await add_override(session, override=swap, actor="bench", source="cli", at=begin)
            away = {"person": rng.choice(MEMBERS), "start": begin, "end": begin + timedelta(days=2)}
            await add_absence(session, **away, reason="", actor="bench", source="cli", at=begin)
        await session.commit()
    await engine.dispose()
