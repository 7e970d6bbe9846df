"""What the intake answers senders: 404 for a URL nobody holds, 400 with a reason for bad input,
429 with Retry-After past the rate limit; secrets stay out of every log."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import ClientSession, web

from bot.context import AppContext
from bot.features.alerts import integrations
from bot.serve import create_web_app, make_runner
from tests.slack.alert_intake import Intake, alertmanager, running_intake
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.conftest import ALICE, BOB, SlackDriver
from tests.slack.fakeslack import FakeSlack

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "the body is not JSON"),
        (b"[1, 2]", "the body must be a JSON object"),
        (b"{}", "status: Field required"),
        (json.dumps({"status": "firing", "alerts": []}).encode(), "alerts: List should have at least 1 item"),
        (
            json.dumps({"status": "burning", "alerts": [{"status": "firing", "labels": {}}]}).encode(),
            "status:",
        ),
        (
            json.dumps({"status": "firing", "alerts": [{"status": "firing", "labels": {"n": 3}}]}).encode(),
            "alerts.0.labels.n: Input should be a valid string",
        ),
        (b"\xff\xfe", "the body is not JSON"),
    ],
)
async def test_bad_alertmanager_bodies_get_400_with_a_reason(
    intake: Intake, body: bytes, reason: str
) -> None:
    url = await intake.add("prom", "alertmanager")
    status, answer = await intake.post(url, body)
    assert status == 400 and answer["status"] == "invalid"
    assert (
        reason in answer["message"] and "\n" not in answer["message"] and "Traceback" not in answer["message"]
    )
    assert intake.fake.calls == []


async def test_a_body_over_one_mib_gets_400(intake: Intake) -> None:
    url = await intake.add("prom", "alertmanager")
    big = alertmanager(annotations={"description": "x" * 9000})
    big["alerts"] = big["alerts"] * (MIB // 9000 + 10)
    status, answer = await intake.post(url, big)
    assert status == 400 and answer["message"] == "the body is over 1 MiB"


async def test_unknown_rotated_and_removed_urls_get_404_and_the_secret_is_never_logged(
    intake: Intake, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    url = await intake.add("prom", "alertmanager")
    secret = url.split("/")[2]
    assert (await intake.post(url.replace(secret, "x" * 43), alertmanager()))[0] == 404
    assert (await intake.post(url.replace("alertmanager", "generic"), alertmanager()))[0] == 404
    async with intake.ctx.sessions() as session:
        rotated = await integrations.rotate(
            session, name="prom", base_url="", actor="test", source="test", at=intake.clock()
        )
    assert (await intake.post(url, alertmanager()))[0] == 404  # the old secret
    assert (await intake.post(rotated.url, alertmanager()))[0] == 202
    async with intake.ctx.sessions() as session:
        await integrations.remove(session, name="prom", actor="test", source="test", at=intake.clock())
    status, answer = await intake.post(rotated.url, alertmanager())
    assert status == 404 and "no integration has this URL" in answer["message"]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "alert refused: no integration has this URL" in logged
    assert secret not in logged and rotated.url.split("/")[2] not in logged


async def test_the_access_log_blanks_the_secret(ctx: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    runner = make_runner(create_web_app(None, ctx))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    secret = "s3cr3t-integration-0123456789abcdef"
    try:
        async with ClientSession() as http:
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/integrations/{secret}/alertmanager"
            async with http.post(url, json=alertmanager()) as answer:
                assert answer.status == 404
    finally:
        await runner.cleanup()
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert access == ["POST /integrations/<secret>/alertmanager 404 " + access[0].split(" 404 ")[1]]


@pytest.fixture
async def limited(ctx: AppContext, fake_slack: FakeSlack) -> AsyncIterator[Intake]:
    settings = ctx.settings.model_copy(update={"alert_rate_limit": "3/minute"})
    async for running in running_intake(replace(ctx, settings=settings), fake_slack):
        yield running


async def test_past_the_rate_limit_a_sender_gets_429_with_retry_after(limited: Intake) -> None:
    url = await limited.add("prom", "alertmanager")
    other = await limited.add("grafana", "alertmanager")
    assert [(await limited.post(url, alertmanager()))[0] for _ in range(3)] == [202, 202, 202]
    response = await limited.http.post(url, json=alertmanager())
    assert response.status == 429 and 1 <= int(response.headers["Retry-After"]) <= 60
    assert "too many requests for prom" in (await response.json())["message"]
    assert (await limited.post(other, alertmanager()))[0] == 202  # each integration has its own


async def test_app_home_lists_the_integrations_to_admins_only(slack: SlackDriver, ctx: AppContext) -> None:
    async with ctx.sessions() as session:
        await integrations.add(
            session, name="prom", kind="alertmanager", pipeline="growth", severity=None,
            base_url=ctx.settings.public_url, actor="test", source="test", at=ctx.clock(),
        )  # fmt: skip
    admin = str(await slack.app_home(ALICE))
    assert "Alert integrations" in admin and "`prom` · alertmanager · `growth`" in admin
    assert "/integrations/" not in admin  # the URL is not kept, so never shown
    assert "Alert integrations" not in str(await slack.app_home(BOB))
