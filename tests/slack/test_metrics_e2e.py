"""`GET /metrics`: what an operator's Prometheus scrapes, read as Prometheus reads it, and scraped by
the real Prometheus where it is installed."""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError

from bot.context import AppContext
from bot.delivery.post import Post
from bot.delivery.scheduled import send_post
from bot.delivery.slack_api import make_client
from bot.settings import Settings
from tests.slack.conftest import SlackDriver, wait_for
from tests.slack.fakeslack import FakeSlack
from tests.slack.signing import command_body

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(slack: SlackDriver) -> Samples:
    response = await slack.http.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(await response.text())
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def slack_calls(settings: Settings, fake: FakeSlack) -> None:
    """One call of each result: ok, rate limited, Slack's server failing, refused."""
    client = make_client(settings, token="xoxb-test-token")
    await client.chat_postMessage(channel="#data-oncall", text="ok")
    # Methods the bot itself does not call, so that no listener still running takes these failures.
    fake.fail("reactions.add", 429, times=3)  # more than the retries
    fake.fail("pins.add", 502, times=3)
    fake.refusals["bookmarks.list"] = "channel_not_found"
    for method in ("reactions.add", "pins.add", "bookmarks.list"):
        with pytest.raises(SlackApiError):
            await client.api_call(method, json={"channel": "C0TEST"})


async def test_metrics_count_what_the_bot_did(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    before = await scrape(slack)
    await slack.command("/oncall", "now")
    await slack.command("/incident", "growth late data from Kafka")
    await wait_for(lambda: bool(slack.fake.of("chat.postMessage")))
    unsigned = command_body("/made-up-by-anyone", "x", user_id="U0ALICE01", response_url="")
    assert (await slack.post(unsigned, {"Content-Type": "application/x-www-form-urlencoded"})).status == 401
    await slack_calls(settings, slack.fake)
    post = Post("handoff:test:1", "handoff", "data-oncall", "#data-oncall", [], "Handoff", ctx.clock())
    client = make_client(settings, token="xoxb-test-token")
    assert await send_post(ctx.sessions, client, post, owner="test", now=ctx.clock()) == "sent"
    after = await scrape(slack)

    def more(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert more("oncall_commands_total", kind="/oncall", outcome="ok") == 1
    assert more("oncall_commands_total", kind="/incident", outcome="ok") == 1
    assert more("oncall_commands_total", kind="unverified", outcome="refused") == 1
    assert not any("/made-up-by-anyone" in str(labels) for _, labels in after)  # no series of its own
    assert value(after, "oncall_open_incidents") == 1
    assert more("oncall_slack_calls_total", method="chat.postMessage", result="ok") >= 2
    assert more("oncall_slack_calls_total", method="reactions.add", result="429") == 1
    assert more("oncall_slack_calls_total", method="pins.add", result="5xx") == 1
    assert more("oncall_slack_calls_total", method="bookmarks.list", result="refused") == 1
    assert more("oncall_posts_total", job="handoff", state="due") == 1
    assert more("oncall_posts_total", job="handoff", state="sent") == 1
    for gauge in ("oncall_outbox_oldest_seconds", "oncall_scheduler_lag_seconds"):
        assert (gauge, frozenset()) in after


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def prometheus(slack: SlackDriver, tmp_path: Path) -> AsyncIterator[str]:
    """The real Prometheus scraping the bot every second; the URL of its HTTP API."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("the prometheus binary is not installed (Debian: apt-get install -y prometheus)")
    assert slack.http.server.port is not None
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: oncall-bot\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{slack.http.server.port}']}}]\n"
    )
    address = f"127.0.0.1:{free_port()}"
    process = await asyncio.create_subprocess_exec(
        binary,
        f"--config.file={config}",
        f"--storage.tsdb.path={tmp_path / 'data'}",
        f"--web.listen-address={address}",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield f"http://{address}/api/v1/query"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=10)


async def query(api: str, promql: str, deadline: timedelta = timedelta(seconds=60)) -> list[dict]:  # type: ignore[type-arg]
    """The series Prometheus answers for `promql`, polled (bounded) until it has some."""
    async with aiohttp.ClientSession() as http:
        for _ in range(int(deadline.total_seconds() * 4)):
            try:
                async with http.get(api, params={"query": promql}) as response:
                    answer = await response.json()
            except aiohttp.ClientError:  # still starting
                answer = {}
            if answer.get("data", {}).get("result"):
                return answer["data"]["result"]  # type: ignore[no-any-return]
            await asyncio.sleep(0.25)
    raise AssertionError(f"Prometheus had no series for {promql} within {deadline}")


async def test_prometheus_scrapes_and_queries_the_metrics(slack: SlackDriver, prometheus: str) -> None:
    await slack.command("/oncall", "now")
    await slack.command("/incident", "growth late data from Kafka")
    [series] = await query(prometheus, 'sum by (kind) (oncall_commands_total{kind="/incident",outcome="ok"})')
    assert series["metric"] == {"kind": "/incident"} and float(series["value"][1]) >= 1
    [up] = await query(prometheus, 'up{job="oncall-bot"} == 1')
    assert up["metric"]["instance"] == f"127.0.0.1:{slack.http.server.port}"
    [incidents] = await query(prometheus, "oncall_open_incidents > 0")
    assert float(incidents["value"][1]) == 1
