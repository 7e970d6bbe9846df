"""The real Alertmanager (Debian's prometheus-alertmanager) on loopback, its webhook receiver
pointed at the bot: an alert posted to its API reaches the owners once, in a thread with the
runbook, and its resolution closes the incident."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientError, ClientSession

from bot.core.incidents.model import Status
from tests.slack.alert_intake import Intake
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.conftest import BOB, CAROL
from tests.slack.incident_calls import roots, thread_shown
from tests.slack.test_alert_intake_e2e import stored

BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
MISSING = "Alertmanager is not installed (apt-get install prometheus-alertmanager)"
CONFIG = """\
route:
  receiver: oncall-bot
  group_by: [alertname, pipeline]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: oncall-bot
    webhook_configs:
      - url: "{url}"
        send_resolved: true
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until(check: Callable[[], bool], what: str) -> None:
    """Alertmanager groups for a second before it sends: poll, boundedly."""
    for _ in range(400):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"Alertmanager never got there: {what}")


@pytest.fixture
async def alertmanager_api(intake: Intake, tmp_path: Path) -> AsyncIterator[str]:
    """A running Alertmanager whose webhook is the `prom` integration; its API's base URL. Skips
    where the binary is absent, unless REQUIRE_ALERTMANAGER=1 (as in CI) makes that a failure."""
    if BINARY is None:
        if os.environ.get("REQUIRE_ALERTMANAGER") == "1":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    path = await intake.add("prom", "alertmanager")
    config = tmp_path / "alertmanager.yml"
    config.write_text(CONFIG.format(url=intake.http.make_url(path)))
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        BINARY,
        f"--config.file={config}",
        f"--storage.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}"
    try:
        async with ClientSession() as http:
            for _ in range(200):
                try:
                    async with http.get(f"{api}/-/ready") as ready:
                        if ready.status == 200:
                            break
                except ClientError:
                    pass
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("Alertmanager did not start")
        yield api
    finally:
        process.terminate()
        await process.wait()


def kafka_lag(ends: datetime | None = None) -> list[dict[str, object]]:
    alert: dict[str, object] = {
        "labels": {"alertname": "KafkaLag", "pipeline": "growth", "severity": "critical"},
        "annotations": {
            "summary": "Kafka consumer lag above 10 minutes",
            "runbook_url": "https://wiki.example.com/kafka-lag",
        },
        "generatorURL": "http://prometheus.example.com:9090/graph",
    }
    return [{**alert, "endsAt": ends.isoformat()}] if ends else [alert]


async def test_an_alert_from_alertmanager_reaches_the_owners_once_and_clears(
    intake: Intake, alertmanager_api: str
) -> None:
    async with ClientSession() as http:
        for _ in range(3):  # Prometheus re-sends firing alerts; Alertmanager dedups them, the bot too
            async with http.post(f"{alertmanager_api}/api/v2/alerts", json=kafka_lag()) as posted:
                assert posted.status == 200
        await until(lambda: "Runbook: Growth Pipeline" in thread_shown(intake), "a thread with the runbook")  # type: ignore[arg-type]
        said = thread_shown(intake)  # type: ignore[arg-type]
        assert f"<@{BOB}>" in said and f"<@{CAROL}>" in said
        assert "Kafka consumer lag above 10 minutes" in said and "https://wiki.example.com/kafka-lag" in said
        past = datetime.now(UTC) - timedelta(seconds=1)
        async with http.post(f"{alertmanager_api}/api/v2/alerts", json=kafka_lag(ends=past)) as posted:
            assert posted.status == 200
        await until(lambda: "Resolved by prom" in thread_shown(intake), "the resolution in the thread")  # type: ignore[arg-type]
    assert (await stored(intake, 1)).status is Status.RESOLVED
    assert len(roots(intake)) == 1  # type: ignore[arg-type]
