"""Importing the team file: one transaction, idempotent, honest about what it changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule.model import Override, Reason, Role
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import export_team, import_team
from bot.store.audit import recent
from bot.store.models import AuditRow, PersonRow
from bot.store.schedule import absences_overlapping, add_absence, add_override

ROOT = Path(__file__).resolve().parents[2]
WEEK6 = load_team_file(ROOT / "examples" / "week6-team.yaml")
WEEK5 = load_team_file(ROOT / "examples" / "week5-team.yaml")
NOW = datetime(2026, 12, 1, tzinfo=UTC)

Sessions = async_sessionmaker[AsyncSession]


async def apply(sessions: Sessions, team=WEEK6, **kwargs):  # type: ignore[no-untyped-def]
    async with sessions() as session:
        return await import_team(session, team=team, actor="admin", source="import", **kwargs)


async def test_first_import_adds_then_nothing_changes(session_maker: Sessions) -> None:
    changes = await apply(session_maker)
    assert {(c.action, c.kind) for c in changes} >= {
        ("add", "person"),
        ("add", "pipeline"),
        ("add", "rotation"),
    }
    assert "+ person alice: Alice" in [str(c) for c in changes]
    assert await apply(session_maker) == []


async def test_changed_owner_is_one_update(session_maker: Sessions) -> None:
    await apply(session_maker)
    pipelines = [
        p.model_copy(update={"primary": "carol"}) if p.key == "growth" else p for p in WEEK6.pipelines
    ]
    changes = await apply(session_maker, WEEK6.model_copy(update={"pipelines": pipelines}))
    assert [str(c) for c in changes] == ["~ pipeline growth: primary bob -> carol"]


async def test_dry_run_applies_nothing(session_maker: Sessions) -> None:
    changes = await apply(session_maker, dry_run=True)
    assert changes
    async with session_maker() as session:
        assert await export_team(session) is None
        assert await session.scalar(select(func.count()).select_from(AuditRow)) == 0


async def test_export_then_import_is_a_no_op(session_maker: Sessions) -> None:
    await apply(session_maker)
    async with session_maker() as session:
        exported = await export_team(session)
    assert exported == WEEK6
    assert await apply(session_maker, exported) == []


async def test_switching_teams_replaces_everything(session_maker: Sessions) -> None:
    await apply(session_maker)
    changes = await apply(session_maker, WEEK5)
    assert "+ person charlie: Charlie" in [str(c) for c in changes]
    assert any(str(c).startswith("- person carol") for c in changes)
    async with session_maker() as session:
        assert await export_team(session) == WEEK5


async def test_removing_a_person_reports_what_goes_with_them(session_maker: Sessions) -> None:
    await apply(session_maker)
    async with session_maker() as session:
        await add_absence(
            session,
            person="carol",
            start=NOW,
            end=NOW + timedelta(days=2),
            reason="",
            actor="carol",
            source="slack",
            at=NOW,
        )
        swap = Override("data-oncall", Role.PRIMARY, "carol", NOW, NOW + timedelta(days=1), Reason.SWAP)
        await add_override(session, override=swap, actor="carol", source="slack", at=NOW)
        await session.commit()
    without_carol = load_team_file(ROOT / "examples" / "week5-team.yaml")
    changes = await apply(session_maker, without_carol)
    assert "- person carol: and 1 absence, 1 override" in [str(c) for c in changes]
    async with session_maker() as session:
        assert await absences_overlapping(session, start=NOW, end=NOW + timedelta(days=3)) == []


async def test_a_failure_midway_leaves_nothing_applied(session_maker: Sessions) -> None:
    await apply(session_maker)
    clash = [p.model_copy(update={"slack_id": "U0ALICE01"}) if p.id == "bob" else p for p in WEEK6.people]
    with pytest.raises(IntegrityError):
        await apply(session_maker, WEEK6.model_copy(update={"people": clash, "timezone": "Europe/London"}))
    async with session_maker() as session:
        assert await export_team(session) == WEEK6
        bob = await session.get(PersonRow, "bob")
        assert bob is not None and bob.slack_id == "U0BOB0001"


async def test_every_change_is_audited(session_maker: Sessions) -> None:
    changes = await apply(session_maker)
    async with session_maker() as session:
        entries = await recent(session, limit=500)
    assert len(entries) == len(changes)
    assert {(e.actor, e.source) for e in entries} == {("admin", "import")}
    assert any(e.action == "person.add" and e.subject == "alice" for e in entries)


async def test_big_days_are_kept_and_their_changes_reported(session_maker: Sessions) -> None:
    await apply(session_maker)
    holidays = WEEK6.holidays.model_copy(update={"big_days": {"Christmas Day": 2, "Easter Monday": 1}})
    changes = await apply(session_maker, WEEK6.model_copy(update={"holidays": holidays}))
    assert sorted(str(c) for c in changes) == [
        "+ big day Easter Monday: weight 1",
        "- big day New Year's Day: weight 1",
        "- big day Thanksgiving Day: weight 1",
        "~ big day Christmas Day: weight 1 -> weight 2",
    ]
    async with session_maker() as session:
        exported = await export_team(session)
    assert exported is not None and exported.holidays.big_days == {"Christmas Day": 2, "Easter Monday": 1}
