"""The real HTTP server: signatures, bad bodies, the health check and the calendar route."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.slack.context import AppContext
from bot.slack.server import create_web_app
from bot.store.db import create_engine, session_factory
from tests.slack.conftest import SlackDriver
from tests.slack.signing import command_body, signed_headers


async def test_signed_command_is_answered(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "help")
    assert answer["response_type"] == "ephemeral"
    assert "/oncall schedule" in str(answer["blocks"])


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: signed_headers(body, secret="wrong-secret"), id="forged"),
        pytest.param(lambda body: signed_headers(body, timestamp=int(time.time()) - 6 * 60), id="stale"),
        pytest.param(lambda body: {"Content-Type": "application/x-www-form-urlencoded"}, id="missing"),
        pytest.param(
            lambda body: {**signed_headers(body), "X-Slack-Signature": "v0=" + "0" * 64}, id="tampered"
        ),
    ],
)
async def test_bad_signatures_get_401_and_run_nothing(slack: SlackDriver, headers) -> None:  # type: ignore[no-untyped-def]
    body = command_body("/oncall", "now", user_id="U0ALICE01", response_url=slack.fake.response_url())
    response = await slack.post(body, headers(body))
    assert response.status == 401
    assert slack.fake.calls == []


@pytest.mark.parametrize(
    "body", ["payload=not-json", "payload=%7B%22type%22%3A%22block_actions%22%7D", "%%%", "\x00\x01", ""]
)
async def test_malformed_bodies_never_get_a_500(slack: SlackDriver, body: str) -> None:
    response = await slack.post(body)
    assert response.status in (200, 400, 404)
    assert "Traceback" not in await response.text()


async def test_healthz(slack: SlackDriver) -> None:
    response = await slack.http.get("/healthz")
    assert response.status == 200 and (await response.json()) == {"status": "ok"}


async def test_healthz_reports_a_dead_database(ctx: AppContext) -> None:
    engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    dead = replace(ctx, sessions=session_factory(engine))
    async with TestClient(TestServer(create_web_app(None, dead), host="127.0.0.1")) as http:
        response = await http.get("/healthz")
        assert response.status == 503 and (await response.json())["status"] == "unavailable"
        assert (await http.post("/slack/events", data="x")).status in (404, 405)
    await engine.dispose()


async def test_unknown_calendar_is_404(slack: SlackDriver) -> None:
    response = await slack.http.get("/calendar/" + "x" * 43 + ".ics")
    assert response.status == 404
    response = await slack.http.get("/calendar/../../etc/passwd.ics")
    assert response.status == 404
