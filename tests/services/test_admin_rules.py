"""Every admin rule lives in one service function, so Slack, the shell and the command line all get
it: here called directly, on SQLite and PostgreSQL (Slack and the shell are tested on top)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.absences import away
from bot.features.absences.service import AbsenceRefused, cancel
from bot.features.oncall.views import TeamView
from bot.features.swaps.requests import SwapRefused, everyones_requests

NOW = datetime(2026, 12, 8, 12, tzinfo=ZoneInfo("America/New_York"))
Sessions = async_sessionmaker[AsyncSession]


async def record(session: AsyncSession, team: TeamView, actor: str, person: str | None) -> away.Away:
    return await away.record(
        session,
        view=team,
        actor=team.people[actor],
        person=team.people.get(person) if person else None,
        first=date(2026, 12, 21),
        last=date(2026, 12, 22),
        reason="",
        source="shell",
        at=NOW,
    )


async def test_only_admins_record_an_absence_for_someone_else(
    session_maker: Sessions, team: TeamView
) -> None:
    async with session_maker() as session:
        with pytest.raises(AbsenceRefused, match="only admins record absences for someone else"):
            await record(session, team, "carol", "bob")
        with pytest.raises(AbsenceRefused, match="only for people in the team"):
            await record(session, team, "david", None)
        done = await record(session, team, "david", "bob")
    assert done.recorded.person.id == "bob" and done.recorded.actor == "david"
    async with session_maker() as session:  # committed by the service itself
        listed = await away.listing(
            session, actor=team.people["bob"], person=team.people["bob"], everyone=False, at=NOW
        )
    assert [a.person for a in listed] == ["bob"]


async def test_only_admins_list_others_absences(session_maker: Sessions, team: TeamView) -> None:
    async with session_maker() as session:
        await record(session, team, "bob", "bob")
        carol, david = team.people["carol"], team.people["david"]
        for person, everyone in ((team.people["bob"], False), (None, True)):
            with pytest.raises(AbsenceRefused, match="only admins list someone else's absences"):
                await away.listing(session, actor=carol, person=person, everyone=everyone, at=NOW)
        assert len(await away.listing(session, actor=david, person=None, everyone=True, at=NOW)) == 1


async def test_only_admins_cancel_someone_elses_absence(session_maker: Sessions, team: TeamView) -> None:
    async with session_maker() as session:
        absence_id = (await record(session, team, "bob", "bob")).recorded.id
        with pytest.raises(AbsenceRefused, match="only admins cancel someone else's"):
            await cancel(
                session, view=team, absence_id=absence_id, actor=team.people["carol"], at=NOW, source="cli"
            )
        cancelled = await cancel(
            session, view=team, absence_id=absence_id, actor=team.people["alice"], at=NOW, source="cli"
        )
    assert cancelled.absence.person == "bob"


async def test_only_admins_list_everyones_swaps(session_maker: Sessions, team: TeamView) -> None:
    async with session_maker() as session:
        with pytest.raises(SwapRefused, match="only admins list everyone's swaps"):
            await everyones_requests(session, actor=team.people["carol"], at=NOW)
        assert await everyones_requests(session, actor=team.people["alice"], at=NOW) == []
