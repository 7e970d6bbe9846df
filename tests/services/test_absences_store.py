"""Absences against the real engine and store, on SQLite and PostgreSQL, races included."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule.model import Reason
from bot.features.absences import service as absences
from bot.features.absences import volunteers as volunteer_calls
from bot.features.absences.volunteers import VolunteerOffer, volunteer_offers
from bot.features.oncall.views import TeamView
from bot.store.schedule import absences_overlapping, volunteers_for

NY = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 8, 12, tzinfo=NY)  # Alice primary, Bob backup until Monday 14 Dec 09:00


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


async def absence_with_a_call(
    session_maker: async_sessionmaker[AsyncSession], team: TeamView
) -> VolunteerOffer:
    """Bob, this week's backup, away Wednesday and Thursday: the one stretch offered to volunteers."""
    async with session_maker() as session:
        recorded = await absences.record_absence(
            session, view=team, person=team.people["bob"], first=date(2026, 12, 9), last=date(2026, 12, 10),
            reason="", actor="bob", source="slack", at=NOW,
        )  # fmt: skip
        offers = volunteer_offers(recorded, NOW)
        await volunteer_calls.open_calls(session, view=team, recorded=recorded, offers=offers)
        await session.commit()
    [offer] = offers["data-oncall"]
    return offer


async def test_two_volunteers_at_once_make_one_override(
    session_maker: async_sessionmaker[AsyncSession], team: TeamView
) -> None:
    offer = await absence_with_a_call(session_maker, team)

    async def take(person: str) -> str:
        async with session_maker() as session:
            try:
                await volunteer_calls.volunteer(
                    session, view=team, offer=offer, person=team.people[person], at=NOW, source="slack"
                )
            except absences.AbsenceRefused as error:
                return str(error)
            return "taken"

    outcomes = await asyncio.gather(take("carol"), take("david"))
    assert sorted(outcomes) == ["someone else volunteered first", "taken"]
    async with session_maker() as session:
        [taken] = await volunteers_for(session, offer.absence)
        assert (taken.start, taken.end, taken.reason) == (offer.start, offer.end, Reason.VOLUNTEER)


async def test_a_failure_while_volunteering_leaves_the_stretch_open(
    session_maker: async_sessionmaker[AsyncSession], team: TeamView, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer = await absence_with_a_call(session_maker, team)

    async def broken(*args: object, **kwargs: object) -> int:
        raise OSError("the store went away")

    with monkeypatch.context() as patch:
        patch.setattr(volunteer_calls, "add_override", broken)
        async with session_maker() as session:
            with pytest.raises(OSError):
                await volunteer_calls.volunteer(
                    session, view=team, offer=offer, person=team.people["david"], at=NOW, source="slack"
                )
    async with session_maker() as session:
        done = await volunteer_calls.volunteer(
            session, view=team, offer=offer, person=team.people["david"], at=NOW, source="slack"
        )
    assert done.volunteer == "david" and [o for o, _ in done.post.taken] == [offer] and done.post.open == []
