"""Absences and overrides come back as aware UTC values, and overlap queries are exact at the edges."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import Override, Reason, Role
from bot.core.team import Person, RotationConfig, TeamFile
from bot.features.teamfile.service import import_team
from bot.store.schedule import absences_overlapping, add_absence, add_override, overrides_overlapping

T0 = datetime(2026, 12, 14, 9, tzinfo=ZoneInfo("America/New_York"))
TEAM = TeamFile(
    timezone="America/New_York",
    people=[Person(id=p, name=p.title(), email=f"{p}@example.com") for p in ("alice", "bob", "carol")],
    rotations=[
        RotationConfig(name="ops", channel="#ops", members=["alice", "bob", "carol"], start=T0.date())
    ],
)


@pytest.fixture
async def team(session: AsyncSession) -> AsyncSession:
    await import_team(session, team=TEAM, actor="test", source="cli")
    return session


async def test_absence_round_trip_is_aware_utc(team: AsyncSession) -> None:
    await add_absence(
        team,
        person="bob",
        start=T0,
        end=T0 + timedelta(days=7),
        reason="vacation",
        actor="bob",
        source="slack",
        at=T0,
    )
    await team.commit()
    [absence] = await absences_overlapping(team, start=T0, end=T0 + timedelta(hours=1))
    assert absence.start == T0 and absence.start.tzinfo is not None
    assert absence.start.utcoffset() == timedelta(0)
    assert absence.reason == "vacation" and absence.person == "bob"


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        (T0 - timedelta(hours=1), T0, False),  # ends exactly where the absence starts
        (T0 - timedelta(hours=1), T0 + timedelta(seconds=1), True),
        (T0 + timedelta(days=7), T0 + timedelta(days=8), False),  # starts exactly where it ends
        (T0 + timedelta(days=7) - timedelta(seconds=1), T0 + timedelta(days=8), True),
        (T0 + timedelta(days=1), T0 + timedelta(days=2), True),  # inside
    ],
)
async def test_overlap_is_half_open(team: AsyncSession, start: datetime, end: datetime, found: bool) -> None:
    await add_absence(
        team, person="bob", start=T0, end=T0 + timedelta(days=7), reason="", actor="bob", source="cli", at=T0
    )
    override = Override("ops", Role.BACKUP, "carol", T0, T0 + timedelta(days=7), Reason.SWAP, note="swap #1")
    await add_override(team, override=override, actor="carol", source="slack", at=T0)
    await team.commit()
    assert bool(await absences_overlapping(team, start=start, end=end)) is found
    assert bool(await overrides_overlapping(team, start=start, end=end, rotation="ops")) is found


async def test_newer_overrides_have_higher_seq(team: AsyncSession) -> None:
    for person in ("alice", "carol"):
        override = Override("ops", Role.PRIMARY, person, T0, T0 + timedelta(days=1), Reason.OVERRIDE)
        await add_override(team, override=override, actor="alice", source="cli", at=T0)
    await team.commit()
    first, second = await overrides_overlapping(team, start=T0, end=T0 + timedelta(days=1))
    assert (first.person, second.person) == ("alice", "carol")
    assert second.seq > first.seq


async def test_absences_filtered_by_people(team: AsyncSession) -> None:
    for person in ("alice", "bob"):
        await add_absence(
            team,
            person=person,
            start=T0,
            end=T0 + timedelta(days=1),
            reason="",
            actor=person,
            source="cli",
            at=T0,
        )
    await team.commit()
    found = await absences_overlapping(team, start=T0, end=T0 + timedelta(days=1), people=["bob"])
    assert [a.person for a in found] == ["bob"]
