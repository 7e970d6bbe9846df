"""The in-process cache of the team and of who is on call: reused while valid, dropped on change."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule.model import Override, Reason, Role
from bot.features.oncall import views as oncall_service
from bot.features.oncall.views import NoTeam, TeamViews
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.store.schedule import add_override

NY = ZoneInfo("America/New_York")
AT = datetime(2026, 12, 8, 12, tzinfo=NY)  # Alice primary, Bob backup until Monday 14 Dec 09:00
WEEK6 = load_team_file(Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml")
Sessions = async_sessionmaker[AsyncSession]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def primary(views: TeamViews, sessions: Sessions, at: datetime) -> str | None:
    async with sessions() as session:
        _, [answer] = await views.on_call(session, at=at)
    assert answer.primary is not None and answer.at == at
    return answer.primary.person


async def test_an_override_shows_once_the_revision_is_rechecked(session_maker: Sessions) -> None:
    async with session_maker() as session:
        await import_team(session, team=WEEK6, actor="t", source="cli")
    clock = Clock()
    views = TeamViews(recheck=1.0, monotonic=clock)
    assert await primary(views, session_maker, AT) == "alice"
    async with session_maker() as session:
        swap = Override(
            "data-oncall", Role.PRIMARY, "carol", AT - timedelta(hours=1), AT + timedelta(days=1), Reason.SWAP
        )
        await add_override(session, override=swap, actor="carol", source="slack", at=AT)
        await session.commit()
    clock.now = 0.5
    assert await primary(views, session_maker, AT) == "alice"  # within the recheck window
    clock.now = 1.5
    assert await primary(views, session_maker, AT) == "carol"


async def test_an_answer_is_not_reused_past_its_segments(session_maker: Sessions) -> None:
    async with session_maker() as session:
        await import_team(session, team=WEEK6, actor="t", source="cli")
    views = TeamViews(monotonic=Clock())
    assert await primary(views, session_maker, AT) == "alice"
    assert await primary(views, session_maker, datetime(2026, 12, 14, 9, tzinfo=NY)) == "bob"


async def test_no_team(session_maker: Sessions) -> None:
    async with session_maker() as session:
        with pytest.raises(NoTeam):
            await TeamViews().load(session)


async def test_one_request_rechecks_while_the_others_keep_the_view(
    session_maker: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with session_maker() as session:
        await import_team(session, team=WEEK6, actor="t", source="cli")
    clock = Clock()
    views = TeamViews(recheck=1.0, monotonic=clock)
    async with session_maker() as session:
        await views.load(session)
    asked = []
    real = oncall_service.team_revision

    async def counted(session: AsyncSession) -> int | None:
        asked.append(1)
        await asyncio.sleep(0.01)  # the query is in flight while the others arrive
        return await real(session)

    monkeypatch.setattr(oncall_service, "team_revision", counted)
    clock.now = 5.0

    async def load() -> str:
        async with session_maker() as session:
            return (await views.load(session)).file.rotations[0].name

    assert await asyncio.gather(*(load() for _ in range(20))) == ["data-oncall"] * 20
    assert len(asked) == 1
