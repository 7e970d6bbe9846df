"""Requests that reach the intake together are stored in one batch (group commit), and each is
still answered on its own: a wrong URL, a bad body or a cause whose routing fails touches no other."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Collection
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.alerts import integrations
from bot.features.incidents import service as incidents
from bot.slack.intake_routes import INTAKE
from bot.store.integrations import Integration
from bot.store.models import AlertRow
from tests.slack.alert_intake import Intake, alertmanager
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.incident_calls import roots

Behind = Callable[[AsyncSession, Collection[str]], Awaitable[dict[str, Integration]]]


class HeldBatch:
    """Holds the first batch at its first read until `release`, so what is posted meanwhile
    arrives together in the second; counts the batches."""

    def __init__(self, behind: Behind) -> None:
        self.behind, self.batches = behind, 0
        self.holding, self.released = asyncio.Event(), asyncio.Event()

    async def __call__(self, session: AsyncSession, url_secrets: Collection[str]) -> dict[str, Integration]:
        self.batches += 1
        if self.batches == 1:
            self.holding.set()
            await self.released.wait()
        return await self.behind(session, url_secrets)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldBatch:
    hold = HeldBatch(integrations.behind)
    monkeypatch.setattr(integrations, "behind", hold)
    return hold


async def _answers(intake: Intake, held: HeldBatch, posts: list[tuple[str, Any]]) -> list[tuple[int, Any]]:
    """Post the first alone and the rest while its batch is held; each (status, answer)."""

    async def post(path: str, payload: Any) -> tuple[int, Any]:
        data = payload if isinstance(payload, bytes) else json.dumps(payload)
        response = await intake.http.post(path, data=data)
        return response.status, await response.json()

    first = asyncio.create_task(post(*posts[0]))
    await asyncio.wait_for(held.holding.wait(), 10)
    rest = [asyncio.create_task(post(*p)) for p in posts[1:]]
    waiting = intake.http.server.app[INTAKE].batches.waiting
    for _ in range(1000):  # the others reach the intake and wait for the held batch
        if len(waiting) == len(rest):
            break
        await asyncio.sleep(0.01)
    held.released.set()
    answered = [await first, *[await r for r in rest]]
    await intake.deliveries.settle()
    return answered


async def test_requests_that_arrive_together_are_stored_together_and_answered_each_on_its_own(
    intake: Intake, held: HeldBatch
) -> None:
    prom = await intake.add("prom", "alertmanager")
    cron = await intake.add("cron", "generic", pipeline="profit")
    beat = await intake.add("beat", "heartbeat", pipeline="growth")
    secret = prom.split("/")[2]
    answered = await _answers(
        intake,
        held,
        [
            (prom, alertmanager()),
            (prom, alertmanager(fingerprint="0000000000000002")),  # the same group: folds
            (cron, {"summary": "nightly profit export failed", "dedup_key": "export"}),
            (prom.replace(secret, "x" * 43), alertmanager()),
            (cron, b"not json"),
            (beat, b""),
        ],
    )
    statuses = [status for status, _ in answered]
    assert statuses == [202, 202, 202, 404, 400, 202]
    assert held.batches == 2, "everything posted during the first batch went in the second"
    kafka, repeat, export = (answer["incident"] for _, answer in answered[:3])
    assert kafka == repeat and export not in (kafka, None)
    assert "not JSON" in answered[4][1]["message"]
    async with intake.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AlertRow)) == 3
    assert len(roots(intake)) == 2  # type: ignore[arg-type]


async def test_a_cause_whose_routing_fails_fails_only_its_own_sender(
    intake: Intake, held: HeldBatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    declare = incidents.declare

    async def failing(session: AsyncSession, **given: Any) -> Any:
        if given["declaration"].summary == "breaks the router":
            raise RuntimeError("routing broke")
        return await declare(session, **given)

    monkeypatch.setattr(incidents, "declare", failing)
    cron = await intake.add("cron", "generic", pipeline="profit")
    answered = await _answers(
        intake,
        held,
        [
            (cron, {"summary": "first, alone", "dedup_key": "a"}),
            (cron, {"summary": "breaks the router", "dedup_key": "b"}),
            (cron, {"summary": "nightly profit export failed", "dedup_key": "c"}),
        ],
    )
    assert [status for status, _ in answered] == [202, 500, 202]
    async with intake.ctx.sessions() as session:
        kept = await session.scalars(select(AlertRow.summary).order_by(AlertRow.id))
        assert list(kept) == ["first, alone", "breaks the router", "nightly profit export failed"]
