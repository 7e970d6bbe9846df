"""`/oncall now` through the real HTTP endpoint, against a bare Bolt app that acks a constant text.

Both are driven over loopback with signed requests at 1 and 50 concurrent connections; the store is
SQLite with the Week 6 team and a year of swaps and absences. Each server runs in its own process;
the load comes from wrk (Debian's package) when it is installed, else from an aiohttp client.
Prints requests per second, p50 and p99 for each, and the ratios; asserts nothing.
Run: .venv/bin/python -m benchmarks.slash
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import Queue
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, TCPConnector, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult

from benchmarks.history import seed_store
from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.serve import create_web_app, settle_memory
from bot.settings import Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from bot.store.db import create_engine, session_factory
from tests.slack.signing import SECRET, command_body, signed_headers

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = {1: 300, 50: 2000}


@dataclass
class Figures:
    rps: float
    p50: float
    p99: float


def bare_app() -> web.Application:
    async def authorize(**_: object) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id="T0", bot_token="xoxb-bench", bot_user_id="U0BOT")

    app = AsyncApp(signing_secret=SECRET, authorize=authorize)

    @app.command("/oncall")
    async def constant(ack: Callable[..., Awaitable[None]]) -> None:
        await ack("ok")

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", events)
    return web_app


# The n-th request of a load, as `session.post(...)` or `session.get(...)` makes it.
Send = Callable[[ClientSession, int], Any]


async def load(total: int, connections: int, send: Send, ok: Container[int] = (200,)) -> Figures:
    """Send `total` requests over `connections` at once; throughput and latencies, each checked `ok`."""
    latencies: list[float] = []
    queue = iter(range(total))

    async def worker(session: ClientSession) -> None:
        for n in queue:
            began = time.perf_counter()
            async with send(session, n) as response:
                await response.read()
                assert response.status in ok, response.status
            latencies.append((time.perf_counter() - began) * 1000)

    async with ClientSession(connector=TCPConnector(limit=connections)) as session:
        began = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Figures(total / elapsed, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1])


async def drive(url: str, concurrency: int, total: int) -> Figures:
    """`/oncall now`, signed as Slack signs it, `total` times over `concurrency` connections."""

    def send(session: ClientSession, _: int) -> Any:
        body = command_body("/oncall", "now", user_id="U0ALICE01", response_url="http://127.0.0.1:9/unused")
        return session.post(url, data=body, headers=signed_headers(body))

    return await load(total, concurrency, send)


NO_SLACK = "http://127.0.0.1:9/api/"  # never called: /oncall answers in the ack


def run_server(kind: str, database_url: str, ports: Queue, slack_api_url: str = NO_SLACK) -> None:  # type: ignore[type-arg]
    """A server in its own process, so the load generator does not share its core or event loop."""
    asyncio.run(_serve(kind, database_url, ports, slack_api_url))


async def _serve(kind: str, database_url: str, ports: Queue, slack_api_url: str) -> None:  # type: ignore[type-arg]
    if kind == "bare":
        web_app = bare_app()
    else:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=slack_api_url,
            database_url=database_url,
        )
        at = datetime(2026, 12, 8, 17, tzinfo=UTC)
        sessions = session_factory(create_engine(database_url))
        ctx = AppContext(settings, sessions, lambda: at, ROOT / "runbooks")
        web_app = create_web_app(create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY), ctx)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    settle_memory()
    ports.put(runner.addresses[0][1])
    await asyncio.Event().wait()


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = {stamp}
wrk.headers["X-Slack-Signature"] = {signature}
"""


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


async def drive_wrk(url: str, concurrency: int, seconds: int = 8) -> Figures:
    """The same load from wrk, a separate native process: the client costs the server nothing."""
    body = command_body("/oncall", "now", user_id="U0ALICE01", response_url="http://127.0.0.1:9/unused")
    headers = signed_headers(body)  # valid for five minutes, far longer than the run
    script = WRK_SCRIPT.format(
        body=json.dumps(body),
        stamp=json.dumps(headers["X-Slack-Request-Timestamp"]),
        signature=json.dumps(headers["X-Slack-Signature"]),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", lua.name, url]
        process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        output = (await process.communicate())[0].decode()
    if "Non-2xx" in output:
        raise RuntimeError(f"wrk saw errors:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    p50 = _millis(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)[1])  # type: ignore[index]
    p99 = _millis(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)[1])  # type: ignore[index]
    return Figures(rps, p50, p99)


async def measure(kind: str, database_url: str) -> dict[int, Figures]:
    spawn = multiprocessing.get_context("spawn")
    ports = spawn.Queue()
    server = spawn.Process(target=run_server, args=(kind, database_url, ports), daemon=True)
    server.start()
    try:
        port = await asyncio.to_thread(ports.get, True, 120)
        target = f"http://127.0.0.1:{port}/slack/events"
        await drive(target, 5, 50)  # warm up
        if shutil.which("wrk"):
            return {c: await drive_wrk(target, c) for c in REQUESTS}
        return {c: await drive(target, c, n) for c, n in REQUESTS.items()}
    finally:
        server.terminate()
        server.join(10)


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await seed_store(url, years=1)
        ours, bare = await measure("ours", url), await measure("bare", url)
    results = {"oncall-bot /oncall now": ours, "bare Bolt app": bare}
    print(f"{'':28}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, by_conns in results.items():
        for conns, f in by_conns.items():
            print(f"{name:28}{conns:>6}{f.rps:>10.0f}{f.p50:>9.1f}{f.p99:>9.1f}")
    print(f"throughput ratio at 50 connections: {ours[50].rps / bare[50].rps:.2f} (target >= 0.5)")
    print(f"p99 at 50 connections: {ours[50].p99:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    asyncio.run(main())
