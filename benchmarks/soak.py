"""A soak: mixed slash commands and button clicks through the real HTTP endpoint, so a leak shows.

The app runs in its own process on SQLite with the Week 6 team and a year of swaps and absences; a
stand-in for Slack's Web API and response URLs answers every call in this process. Prints the
server's resident memory before, every tenth of the way and after, and each kind's p50 and p99.
Run: .venv/bin/python -m benchmarks.soak [--requests 100000] [--connections 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from aiohttp import ClientSession, TCPConnector, web

from benchmarks.history import seed_store
from benchmarks.slash import run_server
from bot.messages.ids import ActionId
from bot.messages.incidents import IncidentButton
from bot.messages.swaps import SwapButton
from tests.slack.signing import action_body, command_body, signed_headers

USER = "U0ALICE01"
Body = Callable[[str], str]  # the response URL -> a request body
KINDS: dict[str, Body] = {
    "/oncall now": lambda reply: command_body("/oncall", "now", user_id=USER, response_url=reply),
    "/oncall schedule": lambda reply: command_body("/oncall", "schedule", user_id=USER, response_url=reply),
    "/runbook growth": lambda reply: command_body("/runbook", "growth", user_id=USER, response_url=reply),
    "/incident list": lambda reply: command_body("/incident", "list", user_id=USER, response_url=reply),
    "/swap list": lambda reply: command_body("/swap", "list", user_id=USER, response_url=reply),
    "click runbook": lambda reply: action_body(
        ActionId.SHOW_RUNBOOK.value, "growth", user_id=USER, response_url=reply
    ),
    "click approve (no such swap)": lambda reply: action_body(
        ActionId.APPROVE_SWAP.value,
        SwapButton(swap=999999).model_dump_json(),
        user_id=USER,
        response_url=reply,
    ),
    "click acknowledge (no such incident)": lambda reply: action_body(
        ActionId.ACK_INCIDENT.value,
        IncidentButton(incident=999999, level=0).model_dump_json(),
        user_id=USER,
        response_url=reply,
    ),
}


async def slack_stand_in() -> web.AppRunner:
    """Answers every Web API call and response URL with a plain success."""

    async def ok(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "channel": "C0ONCALL", "ts": "1700000000.000001"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def soak(
    url: str, pid: int, reply: str, total: int, connections: int, *, report: bool = True
) -> dict[str, list[float]]:
    latencies: defaultdict[str, list[float]] = defaultdict(list)
    kinds = itertools.cycle(KINDS.items())
    counter = itertools.count(1)
    tenth = max(total // 10, 1)

    async def worker(session: ClientSession) -> None:
        while (n := next(counter)) <= total:
            kind, body = next(kinds)
            text = body(reply)
            began = time.perf_counter()
            async with session.post(url, data=text, headers=signed_headers(text)) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{kind}: HTTP {response.status}")
            latencies[kind].append((time.perf_counter() - began) * 1000)
            if report and n % tenth == 0:
                print(f"  after {n:>7} requests: RSS {rss_mb(pid):7.1f} MB")

    async with ClientSession(connector=TCPConnector(limit=connections)) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
    return latencies


async def main(total: int, connections: int) -> None:
    slack = await slack_stand_in()
    port = slack.addresses[0][1]
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite+aiosqlite:///{folder}/soak.db"
        await seed_store(database, years=1)
        spawn = multiprocessing.get_context("spawn")
        ports = spawn.Queue()
        api = f"http://127.0.0.1:{port}/api/"
        server = spawn.Process(target=run_server, args=("ours", database, ports, api), daemon=True)
        server.start()
        try:
            app_port = await asyncio.to_thread(ports.get, True, 120)
            target, reply = f"http://127.0.0.1:{app_port}/slack/events", f"http://127.0.0.1:{port}/response"
            assert server.pid is not None
            await soak(target, server.pid, reply, len(KINDS) * 10, 4, report=False)  # warm up
            print(f"RSS before: {rss_mb(server.pid):.1f} MB; {total} requests on {connections} connections")
            began = time.perf_counter()
            latencies = await soak(target, server.pid, reply, total, connections)
            elapsed = time.perf_counter() - began
            await asyncio.sleep(2)  # the work that follows the clicks' acknowledgements
            print(f"RSS after:  {rss_mb(server.pid):.1f} MB; {total / elapsed:.0f} requests/s")
        finally:
            server.terminate()
            server.join(10)
    await slack.cleanup()
    print(f"{'':38}{'count':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for kind in KINDS:
        values = sorted(latencies[kind])
        p99 = values[max(int(len(values) * 0.99) - 1, 0)]
        print(f"{kind:38}{len(values):>8}{statistics.median(values):>9.1f}{p99:>9.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="how many in all (default 100000)")
    parser.add_argument("--connections", type=int, default=20, help="at once (default 20)")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.connections))
