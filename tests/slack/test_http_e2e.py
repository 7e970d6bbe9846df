"""The real HTTP server: signatures, bad bodies, the health check and the calendar route."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from aiohttp import ClientSession, ClientTimeout, web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import AppContext
from bot.delivery.slack_api import MAX_RETRIES
from bot.features.alerts import integrations
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.serve import create_web_app, make_runner, report_runbooks, serve
from bot.settings import MissingSetting, Settings
from bot.store.db import create_engine, session_factory
from tests.slack.alert_intake import alertmanager
from tests.slack.blocks_check import text_of
from tests.slack.conftest import ROOT, SlackDriver
from tests.slack.fakeslack import FakeSlack
from tests.slack.signing import SECRET, command_body, signed_headers


async def test_signed_command_is_answered(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "help")
    assert answer["response_type"] == "ephemeral"
    assert "/oncall schedule" in text_of(answer)


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


def stamped(body: str, stamp: str) -> dict[str, str]:
    """Headers signed with the right secret over a timestamp of any shape."""
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {**signed_headers(body), "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


async def test_a_timestamp_that_is_no_number_gets_401_without_a_traceback(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    body = command_body("/oncall", "now", user_id="U0ALICE01", response_url=slack.fake.response_url())
    for stamp in ("abc", "1.5e9", "-1", ""):
        response = await slack.post(body, stamped(body, stamp))
        assert response.status == 401, stamp
    assert slack.fake.calls == []
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_signed_click_without_actions_gets_400_without_a_traceback(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {"type": "block_actions", "user": {"id": "U0ALICE01"}, "team": {"id": "T0TEST"}, "actions": []}
    response = await slack.post(urlencode({"payload": json.dumps(payload)}))
    assert response.status == 400
    assert "could not be read" in await response.text()
    assert not [r for r in caplog.records if r.exc_info]


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


WEEK5 = ROOT / "examples" / "week5-team.yaml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_serve_listens_while_its_catch_up_waits_on_slack(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], fake_slack: FakeSlack
) -> None:
    async with sessions() as session:  # everyone by email only: the catch-up first asks Slack for them
        await import_team(session, team=load_team_file(WEEK5), actor="test", source="import")
    fake_slack.answer_late("users.lookupByEmail", posted=False)
    port = free_port()
    serving = asyncio.create_task(serve(settings.model_copy(update={"port": port})))
    try:
        await asyncio.wait_for(fake_slack.holding.wait(), timeout=30)
        async with ClientSession(timeout=ClientTimeout(total=5)) as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert health.status == 200
            body = command_body(
                "/oncall", "help", user_id="U0ALICE01", response_url=fake_slack.response_url()
            )
            url = f"http://127.0.0.1:{port}/slack/events"
            async with http.post(url, data=body, headers=signed_headers(body)) as answer:
                assert answer.status == 200 and "/oncall schedule" in await answer.text()
        assert fake_slack.of("chat.postMessage") == []  # the catch-up is still waiting
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving


async def test_serve_takes_alerts_while_slack_cannot_be_reached_at_start_up(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with sessions() as session:
        issued = await integrations.add(
            session,
            name="prom",
            kind="alertmanager",
            pipeline=None,
            severity=None,
            base_url=settings.public_url,
            actor="test",
            source="test",
            at=datetime.now(UTC),
        )
    fake_slack.fail("auth.test", 503, times=1 + MAX_RETRIES)  # the first check of the token fails...
    fake_slack.answer_late("auth.test", posted=False)  # ...and the next hangs until released
    port = free_port()
    local = f"http://127.0.0.1:{port}"
    serving = asyncio.create_task(
        serve(settings.model_copy(update={"port": port, "slack_retry_seconds": 0.01}))
    )
    try:
        await asyncio.wait_for(fake_slack.holding.wait(), timeout=30)
        async with ClientSession(timeout=ClientTimeout(total=5)) as http:
            async with http.get(f"{local}/healthz") as health:
                assert health.status == 200
            alert = issued.url.replace(settings.public_url, local)
            async with http.post(alert, json=alertmanager()) as taken:
                assert taken.status == 202
            body = command_body(
                "/oncall", "help", user_id="U0ALICE01", response_url=fake_slack.response_url()
            )
            async with http.post(f"{local}/slack/events", data=body, headers=signed_headers(body)) as early:
                assert early.status == 503 and early.headers["Retry-After"]
            assert any(
                "answers HTTP 503 to checking SLACK_BOT_TOKEN" in r.getMessage() for r in caplog.records
            )
            fake_slack.release()
            for _ in range(500):
                async with http.post(
                    f"{local}/slack/events", data=body, headers=signed_headers(body)
                ) as later:
                    if later.status == 200:
                        assert "/oncall schedule" in await later.text()
                        break
                await asyncio.sleep(0.01)
            else:
                raise AssertionError("Slack's requests were never let in")
        assert not serving.done()
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving


async def test_serve_stops_when_slack_refuses_the_token(settings: Settings, fake_slack: FakeSlack) -> None:
    fake_slack.refusals["auth.test"] = "invalid_auth"
    with pytest.raises(MissingSetting, match="SLACK_BOT_TOKEN"):
        await asyncio.wait_for(serve(settings.model_copy(update={"port": free_port()})), timeout=30)
