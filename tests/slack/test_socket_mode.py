"""Socket Mode: `serve` with an app-level token connects out to Slack and answers over the socket."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.slack_api import MAX_RETRIES
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.serve import Service, build_service, open_socket_mode, serve
from bot.settings import Settings
from tests.slack.conftest import ALICE, ROOT
from tests.slack.fakeslack import Call, FakeSlack
from tests.slack.test_http_e2e import free_port


async def wait_for(check: Callable[[], bool]) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("nothing arrived over the socket")


@pytest.fixture
async def service(
    session_maker: async_sessionmaker[AsyncSession], fake_slack: FakeSlack, settings: Settings
) -> AsyncIterator[Service]:
    async with session_maker() as session:
        await import_team(
            session, team=load_team_file(ROOT / "examples" / "week6-team.yaml"), actor="t", source="cli"
        )
    socket_settings = settings.model_copy(
        update={"slack_app_token": SecretStr("xapp-1-test"), "slack_signing_secret": None}
    )
    service = build_service(socket_settings, session_maker)
    await service.reach_slack()
    try:
        yield service
    finally:
        service.rituals.shutdown()


def acks(fake: FakeSlack, envelope: str) -> list[Call]:
    return [c for c in fake.of("socket") if c.args.get("envelope_id") == envelope]


def slash(command: str, text: str) -> dict[str, Any]:
    return {
        "envelope_id": "env-1",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "team_id": "T0TEST",
            "channel_id": "C0ONCALL",
            "user_id": ALICE,
            "command": command,
            "text": text,
            "api_app_id": "A0TEST",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "trigger_id": "1337.42.abcdef",
        },
    }


async def test_a_command_over_the_socket_is_answered_in_its_acknowledgement(
    service: Service, fake_slack: FakeSlack
) -> None:
    socket = await open_socket_mode(service)
    assert socket is not None
    try:
        [opened] = fake_slack.of("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"
        await wait_for(lambda: fake_slack.socket is not None)
        assert fake_slack.socket is not None
        await fake_slack.socket.send_json(slash("/oncall", "help"))
        await wait_for(lambda: bool(acks(fake_slack, "env-1")))
        [ack] = acks(fake_slack, "env-1")
        assert "/oncall now" in str(ack.args["payload"])
    finally:
        await socket.close_async()


async def test_http_mode_opens_no_socket(
    session_maker: async_sessionmaker[AsyncSession], fake_slack: FakeSlack, settings: Settings
) -> None:
    service = build_service(settings, session_maker)
    await service.reach_slack()
    try:
        assert await open_socket_mode(service) is None
        assert fake_slack.of("apps.connections.open") == []
    finally:
        service.rituals.shutdown()


async def test_serve_opens_the_socket_once_slack_answers_at_last(
    session_maker: async_sessionmaker[AsyncSession], fake_slack: FakeSlack, settings: Settings
) -> None:
    socket_settings = settings.model_copy(
        update={
            "slack_app_token": SecretStr("xapp-1-test"),
            "slack_signing_secret": None,
            "slack_retry_seconds": 0.01,
            "port": free_port(),
        }
    )
    fake_slack.fail("auth.test", 503, times=2 * (1 + MAX_RETRIES))  # two checks of the token fail
    serving = asyncio.create_task(serve(socket_settings))
    try:
        await wait_for(lambda: fake_slack.socket is not None)
        assert len(fake_slack.of("auth.test")) == 2 * (1 + MAX_RETRIES) + 1
        assert fake_slack.socket is not None
        await fake_slack.socket.send_json(slash("/oncall", "help"))
        await wait_for(lambda: bool(acks(fake_slack, "env-1")))
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
