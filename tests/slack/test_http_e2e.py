"""The real HTTP server: signatures, bad bodies, the health check and the calendar route."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient, TestServer

from bot.context import AppContext
from bot.serve import create_web_app, make_runner, report_runbooks
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


SECRET_FEED = "s3cr3t-calendar-token-0123456789"


async def one_feed(secret: str) -> str | None:
    return "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" if secret == SECRET_FEED else None


async def test_calendar_feed_and_its_secret_stays_out_of_the_access_log(
    ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    runner = make_runner(create_web_app(None, ctx, calendar=one_feed))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with ClientSession() as http:
            async with http.get(f"{base}/calendar/{SECRET_FEED}.ics") as found:
                assert found.status == 200 and found.headers["Content-Type"] == "text/calendar; charset=utf-8"
                assert (await found.text()).startswith("BEGIN:VCALENDAR")
            async with http.get(f"{base}/calendar/{SECRET_FEED[::-1]}.ics") as unknown:
                assert unknown.status == 404
    finally:
        await runner.cleanup()
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(access) == 2  # both requests are logged...
    assert not [line for line in access if SECRET_FEED in line or SECRET_FEED[::-1] in line]  # ...blanked


def test_broken_runbooks_are_reported_at_start_up(ctx: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    (ctx.runbooks_dir / "broken.md").write_text("## no front matter")
    with caplog.at_level(logging.ERROR, logger="bot.serve"):
        report_runbooks(ctx)
    assert any("broken.md" in r.getMessage() and "front matter" in r.getMessage() for r in caplog.records)
