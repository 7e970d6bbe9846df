"""The alert intake under load: 20,000 Alertmanager-shaped alerts (one group, so one incident) over
50 connections, then /healthz on the same server, which runs in its own process with a fake Slack.

Prints accepted alerts per second, p50 and p99 of the HTTP answer for both, and the Slack calls the
storm caused; asserts nothing. The store is SQLite unless --database-url names an empty PostgreSQL
database (the production setup for replicas).
Run: .venv/bin/python -m benchmarks.alerts [--alerts N] [--database-url postgresql+asyncpg://…/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing import Queue
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

from benchmarks.slash import Figures, load
from bot.context import AppContext
from bot.features.alerts import integrations
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.serve import create_web_app, settle_memory
from bot.settings import Settings
from bot.store import migrate
from bot.store.db import create_engine, session_factory
from tests.slack.alert_intake import alertmanager
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
ALERTS, CONNECTIONS = 20_000, 50
ALONE = 300  # requests over one connection first: the answer's cost without queueing


async def drive(url: str, total: int, body: Callable[[int], bytes | None], connections: int) -> Figures:
    """POST (or GET, when `body` gives None) `total` requests over `connections` at once."""

    def send(session: ClientSession, n: int) -> Any:
        data = body(n)
        return session.get(url) if data is None else session.post(url, data=data)

    return await load(total, connections, send, ok=(200, 202))


def run_server(database_url: str, ports: Queue) -> None:  # type: ignore[type-arg]
    """The bot in its own process, so the load generator does not share its core or event loop."""
    asyncio.run(_serve(database_url, ports))


async def _serve(database_url: str, ports: Queue) -> None:  # type: ignore[type-arg]
    await asyncio.to_thread(migrate.upgrade, database_url)
    slack = FakeSlack()
    await slack.start()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-bench",
        slack_signing_secret="bench-signing-secret",
        slack_api_url=slack.url,
        database_url=database_url,
        alert_rate_limit="1000000/minute",
    )
    sessions = session_factory(create_engine(database_url))
    async with sessions() as session:
        await import_team(
            session, team=load_team_file(ROOT / "examples" / "week6-team.yaml"), actor="bench", source="cli"
        )
        name = f"bench-{int(time.time())}"
        issued = await integrations.add(
            session, name=name, kind="alertmanager", pipeline=None, severity=None,
            base_url="", actor="bench", source="cli", at=datetime.now(UTC),
        )  # fmt: skip
    ctx = AppContext(settings, sessions, lambda: datetime.now(UTC), ROOT / "runbooks")
    web_app = create_web_app(None, ctx)

    async def slack_calls(_: web.Request) -> web.Response:
        return web.json_response(len(slack.calls))

    web_app.router.add_get("/bench/slack-calls", slack_calls)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    settle_memory()
    ports.put((runner.addresses[0][1], issued.url))
    await asyncio.Event().wait()


def storm_alert(n: int) -> bytes:
    return json.dumps(
        alertmanager(labels={"instance": f"spark-worker-{n}"}, fingerprint=f"{n:016x}")
    ).encode()


async def main(database_url: str | None, alerts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        spawn = multiprocessing.get_context("spawn")
        ports = spawn.Queue()
        server = spawn.Process(target=run_server, args=(url, ports), daemon=True)
        server.start()
        try:
            port, path = await asyncio.to_thread(ports.get, True, 120)
            base = f"http://127.0.0.1:{port}"
            figures = {
                ("alertmanager intake", 1): await drive(base + path, ALONE, storm_alert, 1),
                ("alertmanager intake", CONNECTIONS): await drive(
                    base + path, alerts, storm_alert, CONNECTIONS
                ),
            }
            await asyncio.sleep(2)  # the storm's thread posts in the background: let it finish
            async with ClientSession() as http, http.get(f"{base}/bench/slack-calls") as answer:
                calls = await answer.json()
            figures[("/healthz", 1)] = await drive(f"{base}/healthz", ALONE, lambda _: None, 1)
            figures[("/healthz", CONNECTIONS)] = await drive(
                f"{base}/healthz", alerts, lambda _: None, CONNECTIONS
            )
        finally:
            server.terminate()
            server.join(10)
    store = "PostgreSQL" if database_url else "SQLite"
    print(f"{alerts} alerts over {CONNECTIONS} connections (after {ALONE} over one), {store}")
    print(f"{'':22}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for (name, conns), f in figures.items():
        print(f"{name:22}{conns:>6}{f.rps:>10.0f}{f.p50:>9.1f}{f.p99:>9.1f}")
    busy = figures["alertmanager intake", CONNECTIONS]
    print(f"p99 of the intake at {CONNECTIONS} connections: {busy.p99:.1f} ms (target < 50 ms)")
    print(f"Slack calls the storm caused: {calls} (target < 10)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a SQLite file)")
    parser.add_argument("--alerts", type=int, default=ALERTS, help=f"alerts in the storm (default {ALERTS})")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.alerts))
