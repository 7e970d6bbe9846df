"""`/oncall now` through the real HTTP endpoint, against a bare Bolt app that acks a constant text.

Both are driven over loopback with signed requests at 1 and 50 concurrent connections; the store is
SQLite with the Week 6 team and a year of swaps and absences. Prints requests per second, p50 and
p99 for each, and the ratios. Run: .venv/bin/python -m benchmarks.slash   (asserts nothing)
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import ClientSession, TCPConnector, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult

from bot.schedule.model import Override, Reason, Role
from bot.services.teamfile import import_team
from bot.settings import Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from bot.slack.client import make_client
from bot.slack.context import AppContext
from bot.slack.server import create_web_app
from bot.store import migrate
from bot.store.db import create_engine, session_factory
from bot.store.schedule import add_absence, add_override
from bot.teamfile.loader import load_team_file
from tests.slack.signing import SECRET, command_body, signed_headers

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = {1: 300, 50: 2000}


@dataclass
class Figures:
    rps: float
    p50: float
    p99: float


async def seed(url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    rng = random.Random(5)
    members = ("alice", "bob", "carol", "david")
    async with session_factory(engine)() as session:
        await import_team(
            session, team=load_team_file(ROOT / "examples" / "week6-team.yaml"), actor="bench", source="cli"
        )
        start = datetime(2026, 1, 5, 14, tzinfo=UTC)
        for week in range(52):
            begin = start + timedelta(weeks=week, hours=rng.randrange(100))
            swap = Override(
                "data-oncall",
                Role.BACKUP,
                rng.choice(members),
                begin,
                begin + timedelta(hours=12),
                Reason.SWAP,
            )
            await add_override(session, override=swap, actor="bench", source="cli", at=begin)
            person = rng.choice(members)
            await add_absence(
                session,
                person=person,
                start=begin,
                end=begin + timedelta(days=2),
                reason="",
                actor="bench",
                source="cli",
                at=begin,
            )
        await session.commit()
    await engine.dispose()


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


async def drive(url: str, concurrency: int, total: int) -> Figures:
    latencies: list[float] = []
    queue = iter(range(total))

    async def worker(session: ClientSession) -> None:
        for _ in queue:
            body = command_body(
                "/oncall", "now", user_id="U0ALICE01", response_url="http://127.0.0.1:9/unused"
            )
            began = time.perf_counter()
            async with session.post(url, data=body, headers=signed_headers(body)) as response:
                await response.read()
                assert response.status == 200, response.status
            latencies.append((time.perf_counter() - began) * 1000)

    async with ClientSession(connector=TCPConnector(limit=concurrency)) as session:
        began = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Figures(total / elapsed, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1])


async def serve(web_app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/slack/events"


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await seed(url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url="http://127.0.0.1:9/api/",  # never called: /oncall answers in the ack
            database_url=url,
        )
        engine = create_engine(url)
        ctx = AppContext(
            settings,
            session_factory(engine),
            lambda: datetime(2026, 12, 8, 17, tzinfo=UTC),
            ROOT / "runbooks",
        )
        ours = create_web_app(create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY), ctx)
        results = {}
        for name, web_app in (("oncall-bot /oncall now", ours), ("bare Bolt app", bare_app())):
            runner, target = await serve(web_app)
            await drive(target, 5, 50)  # warm up
            results[name] = {c: await drive(target, c, n) for c, n in REQUESTS.items()}
            await runner.cleanup()
        await engine.dispose()
    print(f"{'':28}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, by_conns in results.items():
        for conns, f in by_conns.items():
            print(f"{name:28}{conns:>6}{f.rps:>10.0f}{f.p50:>9.1f}{f.p99:>9.1f}")
    ours_50, bare_50 = results["oncall-bot /oncall now"][50], results["bare Bolt app"][50]
    print(f"throughput ratio at 50 connections: {ours_50.rps / bare_50.rps:.2f} (target >= 0.5)")
    print(f"p99 at 50 connections: {ours_50.p99:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    asyncio.run(main())
