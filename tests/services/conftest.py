"""The Week 6 team imported into a migrated store, on each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.oncall.views import TeamView, load_view
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def team(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[TeamView]:
    async with session_maker() as session:
        await import_team(
            session, team=load_team_file(ROOT / "examples" / "week6-team.yaml"), actor="test", source="import"
        )
        yield await load_view(session)
