"""A listener that fails: the user gets a short apology, never a traceback, and the log says which one."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import REGISTRY

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.serve import SlackEvents, create_web_app
from bot.settings import Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from bot.slack.failures import SORRY, after_ack
from tests.slack.conftest import ALICE, SlackDriver, wait_for
from tests.slack.fakeslack import FakeSlack

BROKEN_COMMAND, BROKEN_ACTION = "/broken", "test.broken"


async def fail(**_: Any) -> None:
    raise RuntimeError("database exploded at line 42")


@pytest.fixture
async def broken(ctx: AppContext, settings: Settings, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    """The real app and server, plus a command and a button whose listeners always raise."""
    app = create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY)
    app.command(BROKEN_COMMAND)(fail)
    app.action(BROKEN_ACTION)(fail)
    async with TestClient(TestServer(create_web_app(SlackEvents(app), ctx), host="127.0.0.1")) as http:
        yield SlackDriver(http, fake_slack)


async def test_failing_command_answers_with_an_apology(
    broken: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    answer = await broken.command(BROKEN_COMMAND, "now", user=ALICE)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == SORRY and "exploded" not in str(answer)
    assert any(f"listener failed for {BROKEN_COMMAND}" in r.getMessage() for r in caplog.records)


async def test_failing_button_apologises_through_the_response_url(
    broken: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    status = await broken.press(BROKEN_ACTION, "v", user=ALICE)
    assert status == 200  # a 500 would make Slack show an error of its own next to the apology
    [reply] = broken.fake.of("response:action")
    assert reply.args["text"] == SORRY and reply.args["response_type"] == "ephemeral"
    assert reply.args["replace_original"] is False  # the message with the button stays
    assert any(f"listener failed for {BROKEN_ACTION}" in r.getMessage() for r in caplog.records)


async def test_a_click_failing_right_after_its_acknowledgement_stays_acknowledged(
    ctx: AppContext, settings: Settings, fake_slack: FakeSlack
) -> None:
    """Bolt withdraws an acknowledgement when the listener raises before it polled for it (HTTP 404,
    an error on the button in Slack): the work after `ack()` goes through `after_ack` instead."""
    app = create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY)

    @app.action("test.quick")
    async def quick(ack: Any, respond: Any, body: dict[str, Any]) -> None:
        await ack()
        await after_ack(body, respond, fail())

    failures = {"kind": "action:test.quick"}
    before = REGISTRY.get_sample_value("oncall_listener_failures_total", failures) or 0
    async with TestClient(TestServer(create_web_app(SlackEvents(app), ctx), host="127.0.0.1")) as http:
        driver = SlackDriver(http, fake_slack)
        for _ in range(5):
            assert await driver.press("test.quick", "x") == 200
        await wait_for(lambda: len(fake_slack.of("response:action")) == 5)
    assert {c.args["text"] for c in fake_slack.of("response:action")} == {SORRY}
    # Counted as a listener failure, like one Bolt sees.
    assert REGISTRY.get_sample_value("oncall_listener_failures_total", failures) == before + 5
