"""The intake behind its real HTTP server with a clock the test moves, and payloads as senders post them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.context import AppContext
from bot.features.alerts import integrations
from bot.serve import create_web_app
from bot.slack.intake_routes import DELIVERIES, Deliveries
from tests.slack.fakeslack import FakeSlack


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **span: float) -> None:
        self.now += timedelta(**span)


@dataclass
class Intake:
    http: TestClient
    fake: FakeSlack
    ctx: AppContext
    clock: Clock
    deliveries: Deliveries

    async def add(self, name: str, kind: str, **options: str | None) -> str:
        """A new integration's URL path."""
        async with self.ctx.sessions() as session:
            issued = await integrations.add(
                session,
                name=name,
                kind=kind,
                pipeline=options.get("pipeline"),
                severity=options.get("severity"),
                base_url=self.ctx.settings.public_url,
                actor="test",
                source="test",
                at=self.clock(),
            )
        return issued.url.removeprefix(self.ctx.settings.public_url)

    async def post(self, path: str, payload: Any) -> tuple[int, dict[str, Any]]:
        """Post and wait for the threads it started to be posted; the answer's status and body."""
        data = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        response = await self.http.post(path, data=data, headers={"Content-Type": "application/json"})
        body = await response.json() if response.content_type == "application/json" else {}
        await self.deliveries.settle()
        return response.status, body


async def running_intake(ctx: AppContext, fake: FakeSlack) -> AsyncIterator[Intake]:
    clock = Clock(ctx.clock())
    live = replace(ctx, clock=clock)
    web_app = create_web_app(None, live)
    async with TestClient(TestServer(web_app, host="127.0.0.1")) as http:
        intake = Intake(http, fake, live, clock, web_app[DELIVERIES])
        yield intake
        await intake.deliveries.settle()


@pytest.fixture
async def intake(ctx: AppContext, fake_slack: FakeSlack) -> AsyncIterator[Intake]:
    async for running in running_intake(ctx, fake_slack):
        yield running


def alertmanager(
    status: str = "firing",
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    group: str = '{}:{alertname="KafkaLag"}',
    fingerprint: str = "8d0f3c2a1b4e5f60",
) -> dict[str, Any]:
    """Alertmanager's webhook payload (version 4) with one alert."""
    shown = {"alertname": "KafkaLag", "pipeline": "growth", "severity": "critical", **(labels or {})}
    return {
        "version": "4",
        "groupKey": group,
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "oncall-bot",
        "groupLabels": {"alertname": "KafkaLag"},
        "commonLabels": shown,
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example.com:9093",
        "alerts": [
            {
                "status": status,
                "labels": shown,
                "annotations": {
                    "summary": "Kafka consumer lag above 10 minutes",
                    "description": "signups-consumer is 14 minutes behind",
                    "runbook_url": "https://wiki.example.com/kafka-lag",
                    **(annotations or {}),
                },
                "startsAt": "2026-12-08T16:55:00Z",
                "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else "2026-12-08T17:30:00Z",
                "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=kafka_lag",
                "fingerprint": fingerprint,
            }
        ],
    }


# Grafana's webhook contact point, from its documentation's example (labels adapted to the team).
GRAFANA = {
    "receiver": "My Super Webhook",
    "status": "firing",
    "orgId": 1,
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "High memory usage",
                "team": "blue",
                "zone": "us-1",
                "pipeline": "profit",
            },
            "annotations": {
                "description": "The system has high memory usage",
                "runbook_url": "https://myrunbook.com/runbook/1234",
                "summary": "This alert was triggered for zone us-1",
            },
            "startsAt": "2021-10-12T09:51:03.157076+02:00",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://play.grafana.org/alerting/1afz29v7z/edit",
            "fingerprint": "c6eadffa33fcdf37",
            "silenceURL": "https://play.grafana.org/alerting/silence/new?alertmanager=grafana",
            "dashboardURL": "",
            "panelURL": "",
            "values": {"B": 44.23943737541908, "C": 1},
            "valueString": "[ var='B' labels={} value=44.23943737541908 ]",
        }
    ],
    "groupLabels": {},
    "commonLabels": {"alertname": "High memory usage", "team": "blue", "zone": "us-1"},
    "commonAnnotations": {},
    "externalURL": "https://play.grafana.org/",
    "version": "1",
    "groupKey": '{}:{alertname="High memory usage"}',
    "truncatedAlerts": 0,
    "title": "[FIRING:1]  (High memory usage blue us-1)",
    "state": "alerting",
    "message": "**Firing**\n\nLabels:\n - alertname = High memory usage\n",
}
