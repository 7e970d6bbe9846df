"""The weekly handoff post lists incidents still open and those resolved during the outgoing shift."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.handoff import handoffs_between
from bot.services import incidents
from bot.services.oncall import load_view
from bot.services.teamfile import import_team
from bot.slack.blocks.handoff import handoff_blocks
from tests.incidents.fixtures import NY, PEOPLE, WEEK6, lines
from tests.slack.blocks_check import assert_valid_blocks

HANDOFF = datetime(2026, 12, 14, 9, tzinfo=NY)  # the shift that began Monday 7 December ends


async def declare(session: AsyncSession, key: str, pipeline: str, at: datetime) -> int:
    incident, _ = await incidents.declare(
        session,
        key=key,
        pipeline=pipeline,
        severity="sev2",
        summary=f"{pipeline} broke",
        link=None,
        declared_by="carol",
        channel="#data-oncall",
        at=at,
    )
    return incident.id


async def handoff_text(session: AsyncSession) -> str:
    view = await load_view(session)
    [handoff] = await handoffs_between(
        session, view=view, since=HANDOFF - timedelta(hours=1), until=HANDOFF + timedelta(hours=1)
    )
    blocks = handoff_blocks(handoff, PEOPLE)
    assert_valid_blocks(blocks)
    return "\n".join(lines(blocks))


async def test_handoff_lists_open_and_recently_resolved_incidents(session: AsyncSession) -> None:
    await import_team(session, team=WEEK6, actor="test", source="import")
    assert "Incidents" not in await handoff_text(session)  # a quiet week says nothing
    tuesday = datetime(2026, 12, 8, 12, tzinfo=NY)
    still = await declare(session, "a", "growth", tuesday)
    fixed = await declare(session, "b", "profit", tuesday)
    older = await declare(session, "c", "aggregated", tuesday - timedelta(days=14))
    await incidents.acknowledge(session, incident_id=fixed, person="alice", at=tuesday + timedelta(minutes=7))
    await incidents.resolve(
        session, incident_id=fixed, person="alice", resolution="rerun", at=tuesday + timedelta(hours=3)
    )
    await incidents.resolve(
        session, incident_id=older, person="david", resolution="x", at=tuesday - timedelta(days=13)
    )
    text = await handoff_text(session)
    assert f"#{still} Growth Pipeline (sev2): growth broke · never acknowledged" in text
    assert f"#{fixed} Profit Pipeline (sev2): profit broke · acknowledged in 7 min, resolved in 3 h" in text
    assert "Aggregated" not in text  # resolved before the outgoing shift began
