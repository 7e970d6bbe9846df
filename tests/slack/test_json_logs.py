"""LOG_FORMAT=json: one JSON object a line, each naming the request from Slack or the scheduled job it
was written for."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli.main import main
from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.jobs.scheduler import isolated
from bot.logs import log_handler
from bot.serve import SlackEvents, create_web_app
from bot.settings import Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from tests.slack.conftest import SlackDriver
from tests.slack.fakeslack import FakeSlack


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """What the JSON handler writes, installed at the root as `main` installs it."""
    stream = io.StringIO()
    handler = log_handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def objects(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # each line is one object


async def fail(**_: Any) -> None:
    raise RuntimeError("database exploded")


async def test_a_request_s_lines_name_it(
    ctx: AppContext, settings: Settings, fake_slack: FakeSlack, lines: io.StringIO
) -> None:
    app = create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY)
    app.command("/broken")(fail)
    async with TestClient(TestServer(create_web_app(SlackEvents(app), ctx), host="127.0.0.1")) as http:
        slack = SlackDriver(http, fake_slack)
        await slack.command("/broken", "now")
        await slack.command("/broken", "again")
    failed = [o for o in objects(lines) if o["message"] == "listener failed for /broken"]
    assert len(failed) == 2
    assert all(o["level"] == "ERROR" and o["request"] == "/broken" for o in failed)
    assert "database exploded" in failed[0]["exc_info"] and "timestamp" in failed[0]
    assert failed[0]["request_id"] != failed[1]["request_id"]  # each request its own


async def test_a_job_s_lines_name_it(lines: io.StringIO) -> None:
    async def broken_part() -> None:
        logging.getLogger("bot.jobs.test").warning("about to fail")
        raise RuntimeError("no")

    assert await isolated("scheduled posts", broken_part, "fallback") == "fallback"
    logged = objects(lines)
    assert [(o["message"], o["job"]) for o in logged] == [
        ("about to fail", "scheduled posts"),
        ("scheduled posts failed; the other rituals go on", "scheduled posts"),
    ]
    assert "request" not in logged[0]


def test_an_unknown_log_format_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "xml")
    assert main(["who"]) == 2
    assert "LOG_FORMAT" in capsys.readouterr().err.upper()
