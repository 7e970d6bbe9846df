"""The weekly handoff post lists incidents still open and those resolved during the outgoing shift."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.handoff.handoff import handoffs_between
from bot.features.incidents import service as incidents
from bot.features.oncall.views import load_view
from bot.features.teamfile.service import import_team
from bot.messages.handoff import handoff_blocks
from tests.incidents.fixtures import KAFKA_DOWN, NY, PEOPLE, WEEK6, lines
from tests.slack.blocks_check import assert_valid_blocks

HANDOFF = datetime(2026, 12, 14, 9, tzinfo=NY)  # the shift that began Monday 7 December ends


async def declare(session: AsyncSession, key: str, pipeline: str, at: datetime) -> int:
    broke = replace(KAFKA_DOWN, pipeline=pipeline, severity="sev2", summary=f"{pipeline} broke")
    incident, _ = await incidents.declare(session, key=key, declaration=broke, at=at)
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
    assert f"#{still} Growth Pipeline (sev2): growth broke · not acknowledged" in text
    assert (
        f"#{fixed} Profit Pipeline (sev2): profit broke · "
        "acknowledged 7 min and resolved 3 h after it was declared"
    ) in text
    assert "Aggregated" not in text  # resolved before the outgoing shift began


async def test_a_late_handoff_lists_what_was_resolved_after_its_time(session: AsyncSession) -> None:
    await import_team(session, team=WEEK6, actor="test", source="import")
    late = await declare(session, "a", "growth", HANDOFF - timedelta(hours=2))
    await incidents.resolve(
        session, incident_id=late, person="bob", resolution="rerun", at=HANDOFF + timedelta(minutes=10)
    )
    text = await handoff_text(session)  # posted after the resolution, e.g. at a restart
    resolved = text.split("*Resolved since the last handoff*")
    assert len(resolved) == 2 and f"#{late} Growth Pipeline" in resolved[1]
    assert "resolved 2 h 10 min after it was declared" in resolved[1]


async def test_a_reopened_incident_says_its_timings_count_from_the_declaration(
    session: AsyncSession,
) -> None:
    await import_team(session, team=WEEK6, actor="test", source="import")
    tuesday = datetime(2026, 12, 8, 12, tzinfo=NY)
    case = await declare(session, "a", "growth", tuesday)
    await incidents.acknowledge(session, incident_id=case, person="bob", at=tuesday + timedelta(minutes=5))
    await incidents.resolve(session, incident_id=case, person="bob", resolution="x", at=tuesday)
    await incidents.reopen(session, incident_id=case, person="carol", at=tuesday + timedelta(days=2))
    text = await handoff_text(session)
    assert f"#{case} Growth Pipeline (sev2): growth broke · not acknowledged since it was reopened" in text
    await incidents.acknowledge(session, incident_id=case, person="bob", at=tuesday + timedelta(days=3))
    assert "reopened; acknowledged 3 d after it was declared" in await handoff_text(session)
