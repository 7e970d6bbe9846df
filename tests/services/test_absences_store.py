"""Absences against the real engine and store, on SQLite and PostgreSQL, races included."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import absences
from bot.services.oncall import TeamView, load_view
from bot.services.teamfile import import_team
from bot.store.schedule import absences_overlapping
from bot.teamfile.loader import load_team_file

NY = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 8, 12, tzinfo=NY)  # Alice primary, Bob backup until Monday 14 Dec 09:00


@pytest.fixture
async def team(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[TeamView]:
    async with session_maker() as session:
        await import_team(
            session, team=load_team_file(ROOT / "examples" / "week6-team.yaml"), actor="test", source="import"
        )
        yield await load_view(session)


async def test_two_overlapping_absences_at_once_record_one(
    session_maker: async_sessionmaker[AsyncSession], team: TeamView
) -> None:
    async def away(first: date, last: date) -> str:
        async with session_maker() as session:
            try:
                await absences.record_absence(
                    session, view=team, person=team.people["carol"], first=first, last=last,
                    reason="", actor="carol", source="slack", at=NOW,
                )  # fmt: skip
                await session.commit()
            except absences.AbsenceRefused as error:
                return str(error)
            return "recorded"

    outcomes = await asyncio.gather(
        away(date(2026, 12, 21), date(2026, 12, 31)), away(date(2026, 12, 30), date(2027, 1, 2))
    )
    assert sorted(outcomes) == ["it overlaps an absence already recorded (`/oncall away list`)", "recorded"]
    async with session_maker() as session:
        assert len(await absences_overlapping(session, start=NOW, end=datetime(2027, 2, 1, tzinfo=NY))) == 1
