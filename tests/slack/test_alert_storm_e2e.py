"""A storm of alerts for one pipeline gives one incident and a handful of Slack calls; two replicas
receiving the same alerts at once, on PostgreSQL, give one incident and one thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import event, func, select

from bot.context import AppContext
from bot.features.incidents import service as incidents
from bot.features.teamfile.service import import_team
from bot.settings import Settings
from bot.store.db import create_engine, session_factory
from bot.store.models import AlertRow
from tests.conftest import _postgres_database
from tests.incidents.fixtures import WEEK6
from tests.slack.alert_intake import Intake, alertmanager, running_intake
from tests.slack.fakeslack import FakeSlack
from tests.slack.incident_calls import roots, thread_shown

STORM = 1000
UNLIMITED = "1000000/minute"


def storm_alert(n: int) -> dict[str, Any]:
    """One of many alerts in one Alertmanager group: each its own instance and fingerprint."""
    return alertmanager(labels={"instance": f"spark-worker-{n}"}, fingerprint=f"{n:016x}")


async def flood(
    http: TestClient, url: str, payloads: list[dict[str, Any]], connections: int = 20
) -> list[Any]:
    """Post every payload over `connections` at once; the answers' incident ids."""
    gate = asyncio.Semaphore(connections)

    async def one(payload: dict[str, Any]) -> Any:
        async with gate:
            response = await http.post(url, json=payload)
            assert response.status == 202, await response.text()
            return (await response.json())["incident"]

    return await asyncio.gather(*(one(p) for p in payloads))


@pytest.fixture
async def storm_intake(ctx: AppContext, fake_slack: FakeSlack) -> AsyncIterator[Intake]:
    settings = ctx.settings.model_copy(update={"alert_rate_limit": UNLIMITED})
    async for running in running_intake(replace(ctx, settings=settings), fake_slack):
        yield running


async def test_a_storm_of_a_thousand_alerts_gives_one_incident_and_a_handful_of_slack_calls(
    storm_intake: Intake,
) -> None:
    url = await storm_intake.add("prom", "alertmanager")
    inserts = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO alerts"):
            inserts.append(statement)

    engine = storm_intake.ctx.sessions.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", count)
    answered = await flood(storm_intake.http, url, [storm_alert(n) for n in range(STORM)])
    event.remove(engine, "before_cursor_execute", count)
    assert len(inserts) < STORM / 4, "alerts arriving together are stored together"
    await storm_intake.deliveries.settle()
    assert set(answered) == {1}
    async with storm_intake.ctx.sessions() as session:
        assert [i.id for i in await incidents.open_incidents(session)] == [1]
        assert await session.scalar(select(func.count()).select_from(AlertRow)) == STORM  # every one kept
        tied = select(func.count()).select_from(AlertRow).where(AlertRow.incident_id == 1)
        assert await session.scalar(tied) == STORM  # and tied to the incident its cause opened
    assert len(storm_intake.fake.calls) < 10
    assert len(roots(storm_intake)) == 1  # type: ignore[arg-type]


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    yield from _postgres_database(template=postgres_template)


@pytest.mark.postgres
async def test_two_replicas_receiving_the_same_alerts_open_one_incident(
    postgres_url: str, settings: Settings, ctx: AppContext, fake_slack: FakeSlack
) -> None:
    shared = settings.model_copy(update={"database_url": postgres_url, "alert_rate_limit": UNLIMITED})
    engines = [create_engine(postgres_url) for _ in range(2)]
    try:
        contexts = [replace(ctx, settings=shared, sessions=session_factory(e)) for e in engines]
        async with contexts[0].sessions() as session:
            await import_team(session, team=WEEK6, actor="test", source="import")
        replicas = [running_intake(c, fake_slack) for c in contexts]
        first, second = [await anext(r) for r in replicas]
        url = await first.add("prom", "alertmanager")
        payloads = [storm_alert(n % 10) for n in range(100)]  # Alertmanager retrying, to both replicas
        answered = await asyncio.gather(
            flood(first.http, url, payloads, connections=10),
            flood(second.http, url, payloads, connections=10),
        )
        await asyncio.gather(first.deliveries.settle(), second.deliveries.settle())
        assert {i for answers in answered for i in answers} == {1}
        async with contexts[1].sessions() as session:
            assert [i.id for i in await incidents.open_incidents(session)] == [1]
        assert len(roots(first)) == 1  # type: ignore[arg-type]
        assert thread_shown(first).count("Alert from prom") == 1  # type: ignore[arg-type]
        for replica in replicas:
            await anext(replica, None)
    finally:
        for engine in engines:
            await engine.dispose()
