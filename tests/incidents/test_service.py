"""The incident service on both stores: declared once, changed by compare-and-set, timers from the store."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.incidents.escalation import Policy
from bot.core.incidents.model import EventKind, Incident, Status
from bot.features.incidents import service as incidents
from bot.features.incidents.service import IncidentRefused
from bot.features.oncall.views import TeamView, load_view
from bot.features.teamfile.service import import_team
from bot.store import checklists
from bot.store import incidents as store
from bot.store.audit import recent
from tests.incidents.fixtures import DECLARED, KAFKA_DOWN, WEEK6

POLICY = Policy.from_minutes(sev1=5, sev2=15, sev3=60)
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def view(session: AsyncSession) -> TeamView:
    await import_team(session, team=WEEK6, actor="test", source="import")
    return await load_view(session)


async def declare(
    session: AsyncSession,
    key: str = "k1",
    *,
    at: datetime = DECLARED,
    until_resolved: bool = False,
    **changes: str,
) -> Incident:
    """Kafka down on the engagement pipeline, or another declaration with `changes`."""
    declaration = replace(KAFKA_DOWN, **changes)
    incident, _ = await incidents.declare(
        session, key=key, declaration=declaration, at=at, until_resolved=until_resolved
    )
    return incident


async def kinds(session: AsyncSession, incident_id: int) -> list[EventKind]:
    return [e.kind for e in await store.events(session, incident_id)]


async def test_one_incident_per_key(session: AsyncSession, view: TeamView) -> None:
    slow = replace(KAFKA_DOWN, pipeline="growth", severity="sev2", summary="slow", declared_by="U0STRANGER")
    first, created = await incidents.declare(
        session, key="view:V1", declaration=replace(slow, link="https://example.com/x"), at=DECLARED
    )
    again, created_again = await incidents.declare(session, key="view:V1", declaration=slow, at=DECLARED)
    assert created and not created_again and again.id == first.id
    assert [i.id for i in await incidents.open_incidents(session)] == [first.id]
    assert first.link == "https://example.com/x" and first.declared_by == "U0STRANGER"
    assert await kinds(session, first.id) == [EventKind.DECLARED]
    assert (await recent(session, limit=1))[0].action == "incident.declared"


async def test_concurrent_declarations_with_one_key_store_one(
    session_maker: Sessions, view: TeamView
) -> None:
    async def one() -> Incident:
        async with session_maker() as session:
            return await declare(session, key="command:T1:abc")

    found = await asyncio.gather(*(one() for _ in range(4)))
    assert len({i.id for i in found}) == 1


async def test_acknowledge_counts_once(session: AsyncSession, view: TeamView) -> None:
    case = await declare(session)
    acked = await incidents.acknowledge(
        session, incident_id=case.id, person="bob", at=DECLARED + timedelta(minutes=3)
    )
    assert acked.acked_by == "bob" and acked.time_to_acknowledge == timedelta(minutes=3)
    with pytest.raises(IncidentRefused, match="already acknowledged"):
        await incidents.acknowledge(session, incident_id=case.id, person="carol", at=DECLARED)
    assert await kinds(session, case.id) == [EventKind.DECLARED, EventKind.ACKNOWLEDGED]


async def test_escalate_by_hand_through_every_level(session: AsyncSession, view: TeamView) -> None:
    case = await declare(session)
    first = await incidents.escalate(session, view=view, incident_id=case.id, person="bob", at=DECLARED)
    second = await incidents.escalate(session, view=view, incident_id=case.id, person="bob", at=DECLARED)
    assert (first.level, second.level) == (1, 2)
    with pytest.raises(IncidentRefused, match="Every escalation level"):
        await incidents.escalate(session, view=view, incident_id=case.id, person="bob", at=DECLARED)
    assert [e.level for e in await store.events(session, case.id)] == [None, 1, 2]


async def test_resolve_and_reopen(session: AsyncSession, view: TeamView) -> None:
    case = await declare(session)
    await incidents.acknowledge(session, incident_id=case.id, person="bob", at=DECLARED)
    later = DECLARED + timedelta(hours=1)
    done = await incidents.resolve(
        session, incident_id=case.id, person="bob", resolution="restarted", at=later
    )
    assert done.status is Status.RESOLVED and done.time_to_resolve == timedelta(hours=1)
    with pytest.raises(IncidentRefused, match="already resolved"):
        await incidents.resolve(session, incident_id=case.id, person="carol", resolution="x", at=later)
    with pytest.raises(IncidentRefused, match="reopen it first"):
        await incidents.escalate(session, view=view, incident_id=case.id, person="bob", at=later)
    again = await incidents.reopen(session, incident_id=case.id, person="carol", at=later)
    assert again.is_open and again.acked_by is None and again.resolution is None and again.level_at == later
    with pytest.raises(IncidentRefused, match="already open"):
        await incidents.reopen(session, incident_id=case.id, person="carol", at=later)
    with pytest.raises(IncidentRefused, match="no incident #99"):
        await incidents.acknowledge(session, incident_id=99, person="bob", at=later)


async def test_timers_escalate_once_per_level_and_stop_on_acknowledge(
    session: AsyncSession, view: TeamView
) -> None:
    case = await declare(session)  # sev1 on engagement: infrastructure, then the admins

    async def sweep(minutes: float) -> list[int]:
        at = DECLARED + timedelta(minutes=minutes)
        return [i.level for i in await incidents.escalate_due(session, view=view, policy=POLICY, now=at)]

    assert await sweep(4.9) == []
    assert await sweep(5) == [1]
    assert await sweep(6) == []  # level 1 called once, however often the sweep runs
    assert await sweep(9.9) == []
    assert await sweep(10) == [2]
    assert await sweep(60) == []  # no level left
    events = await store.events(session, case.id)
    assert [(e.kind, e.actor, e.detail) for e in events[1:]] == [
        (EventKind.ESCALATED, None, "sev1 not acknowledged within 5 minutes"),
        (
            EventKind.ESCALATED,
            None,
            "sev1 not acknowledged 10 minutes after it was declared (5 minutes after level 1 was called)",
        ),
    ]
    quiet = await declare(session, key="k2")
    await incidents.acknowledge(session, incident_id=quiet.id, person="bob", at=DECLARED)
    assert await sweep(120) == []


async def test_a_sweep_after_a_long_outage_escalates_one_level(session: AsyncSession, view: TeamView) -> None:
    await declare(session, severity="sev3")
    at = DECLARED + timedelta(days=1)
    [escalated] = await incidents.escalate_due(session, view=view, policy=POLICY, now=at)
    assert escalated.level == 1 and escalated.level_at == at


async def test_two_sweeps_at_once_escalate_once(session_maker: Sessions, view: TeamView) -> None:
    async with session_maker() as session:
        case = await declare(session)

    async def sweep() -> list[Incident]:
        async with session_maker() as session:
            return await incidents.escalate_due(
                session, view=view, policy=POLICY, now=DECLARED + timedelta(minutes=5)
            )

    results = await asyncio.gather(sweep(), sweep())
    assert sum(len(r) for r in results) == 1
    async with session_maker() as session:
        assert [e.level for e in await store.events(session, case.id)] == [None, 1]


async def test_handoff_report(session: AsyncSession, view: TeamView) -> None:
    still = await declare(session, key="a")
    closed = await declare(session, key="b", pipeline="aggregated")
    old = await declare(session, key="c", at=DECLARED - timedelta(days=10))
    await incidents.resolve(
        session, incident_id=old.id, person="bob", resolution="x", at=DECLARED - timedelta(days=9)
    )
    await incidents.resolve(
        session, incident_id=closed.id, person="david", resolution="y", at=DECLARED + timedelta(hours=2)
    )
    report = await incidents.handoff_report(
        session, view=view, since=DECLARED - timedelta(days=7), until=DECLARED + timedelta(days=1)
    )
    assert [i.id for i in report.still_open] == [still.id]
    assert [i.id for i in report.closed] == [closed.id]
    assert report.pipeline_names["aggregated"] == "Aggregated Data Pipeline"


async def test_handoff_report_keeps_one_of_its_shift_resolved_after_the_handoff(
    session: AsyncSession, view: TeamView
) -> None:
    handoff = DECLARED + timedelta(hours=1)
    late = await declare(session, key="a")
    after = await declare(session, key="b", at=handoff + timedelta(minutes=1))  # the next shift's
    for case in (late, after):
        await incidents.resolve(
            session, incident_id=case.id, person="bob", resolution="x", at=handoff + timedelta(minutes=5)
        )
    report = await incidents.handoff_report(
        session, view=view, since=DECLARED - timedelta(days=7), until=handoff
    )
    assert report.still_open == [] and [i.id for i in report.closed] == [late.id]
    assert report.reopened == frozenset()


async def test_a_message_declares_again_once_its_incident_is_resolved(
    session: AsyncSession, view: TeamView
) -> None:
    key = "message:C0RANDOM:1700000500.000100"
    first = await declare(session, key=key, until_resolved=True)
    other = replace(
        KAFKA_DOWN, pipeline="growth", severity="sev3", summary="something else", declared_by="bob"
    )
    again, created = await incidents.declare(
        session, key=key, declaration=other, at=DECLARED, until_resolved=True
    )
    assert again.id == first.id and not created  # still open: the same incident
    await incidents.resolve(session, incident_id=first.id, person="bob", resolution="x", at=DECLARED)
    second = await declare(session, key=key, until_resolved=True)
    third_try = await declare(session, key=key, until_resolved=True)
    assert second.id != first.id and third_try.id == second.id
    await incidents.resolve(session, incident_id=second.id, person="bob", resolution="x", at=DECLARED)
    assert (await declare(session, key=key, until_resolved=True)).id not in (first.id, second.id)


async def test_two_forms_from_one_message_at_once_declare_once(
    session_maker: Sessions, view: TeamView
) -> None:
    key = "message:C0RANDOM:1700000500.000100"
    async with session_maker() as session:
        first = await declare(session, key=key, until_resolved=True)
        await incidents.resolve(session, incident_id=first.id, person="bob", resolution="x", at=DECLARED)

    async def one() -> Incident:
        async with session_maker() as session:
            return await declare(session, key=key, until_resolved=True)

    found = await asyncio.gather(*(one() for _ in range(4)))
    assert len({i.id for i in found}) == 1 and found[0].id != first.id


async def test_a_pipeline_dropped_from_the_team_file_keeps_its_incidents_and_checklists(
    session: AsyncSession, view: TeamView
) -> None:
    incident = await declare(session)
    await checklists.ensure_items(
        session, period="2026-11", pipeline="engagement", texts=["Upstream complete"]
    )
    await session.commit()
    without = WEEK6.model_copy(update={"pipelines": [p for p in WEEK6.pipelines if p.key != "engagement"]})
    await import_team(session, team=without, actor="test", source="import")
    after = await incidents.status(session, view=await load_view(session), incident_id=incident.id)
    assert after is not None and after.pipeline == "engagement"  # shown by its key from now on
    assert [e.kind for e in after.timeline] == [EventKind.DECLARED]
    assert [e.text for e in await checklists.entries(session, period="2026-11")] == ["Upstream complete"]
