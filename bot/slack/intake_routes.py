"""The alert intake over HTTP: `POST /integrations/<secret>/<kind>`. An alert is stored before it
is answered (202 with the incident's id); its thread is posted in the background through the post
ledger, and whatever Slack does not take then, the minute sweep sends later.

A wrong, rotated or removed secret is 404 and is logged without the secret; the access log blanks it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, nullcontext

from aiohttp import web
from limits import parse as parse_limit
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import make_url

from bot.context import AppContext
from bot.core.alerts import BadAlert, Signal, parse_alertmanager, parse_generic
from bot.delivery.incidents import deliver, incidents_channel
from bot.delivery.slack_api import make_client
from bot.features.alerts import heartbeats, intake, integrations
from bot.features.oncall.views import NoTeam
from bot.settings import MissingSetting
from bot.store.integrations import Integration

log = logging.getLogger(__name__)
MAX_ALERT_BYTES = 1024 * 1024
PARSERS: dict[str, Callable[[bytes], list[Signal]]] = {
    "alertmanager": parse_alertmanager,  # Grafana's webhook contact point too
    "generic": lambda body: [parse_generic(body)],
}
PATHS = {"alertmanager": ("alertmanager",), "generic": ("generic",), "heartbeat": ("heartbeat", "fail")}
ROUTE = r"/integrations/{secret:[A-Za-z0-9_-]{16,128}}/{kind:[a-z]{1,20}}"


def redacted_path(path: str) -> str:
    """An intake path with its secret blanked, for the access log."""
    return "/integrations/<secret>/" + path.rstrip("/").rsplit("/", 1)[-1]


def _answer(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    """A refusal the sender can read in one line."""
    word = "invalid" if status == 400 else "refused"
    return web.json_response({"status": word, "message": message}, status=status, headers=headers)


class Deliveries:
    """Posts incident threads in the background, one delivery per incident at a time: a storm of
    alerts on one incident makes one delivery, run again once if more arrived meanwhile."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.running: dict[int, asyncio.Task[None]] = {}
        self.again: set[int] = set()
        self._client: AsyncWebClient | None = None

    def client(self) -> AsyncWebClient | None:
        if self._client is None:
            try:
                token = self.ctx.settings.require("slack_bot_token")
            except MissingSetting as missing:
                log.warning("alerts are stored, not posted: %s", missing)
                return None
            self._client = make_client(self.ctx.settings, token=token)
        return self._client

    def kick(self, incident_ids: Iterable[int]) -> None:
        for incident_id in incident_ids:
            if incident_id in self.running:
                self.again.add(incident_id)
            else:
                self.running[incident_id] = asyncio.create_task(self._run(incident_id))

    async def _run(self, incident_id: int) -> None:
        try:
            while (client := self.client()) is not None:
                self.again.discard(incident_id)
                try:
                    await deliver(self.ctx, client, incident_id, now=self.ctx.clock())
                except Exception:  # the minute sweep tries again; the intake must not die of it
                    log.exception("incident #%s: posting its thread failed; the sweep retries", incident_id)
                if incident_id not in self.again:
                    break
        finally:
            del self.running[incident_id]

    async def settle(self) -> None:
        """Let the deliveries under way finish (at shutdown, and in tests)."""
        while self.running:
            await asyncio.wait(list(self.running.values()), timeout=10)


DELIVERIES = web.AppKey("deliveries", Deliveries)


class RateLimit:
    """Requests per integration and process, from ALERT_RATE_LIMIT."""

    def __init__(self, rate: str) -> None:
        self.item = parse_limit(rate)
        self.limiter = FixedWindowRateLimiter(MemoryStorage())

    def retry_after(self, name: str) -> int | None:
        """None when the request may go on, else the seconds to wait."""
        if self.limiter.hit(self.item, name):
            return None
        reset = self.limiter.get_window_stats(self.item, name).reset_time
        return max(1, math.ceil(reset - time.time()))


async def _read(request: web.Request) -> bytes | web.Response:
    if (request.content_length or 0) > MAX_ALERT_BYTES:
        return _answer(400, "the body is over 1 MiB")
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _answer(400, "the body is over 1 MiB")


def one_writer_at_a_time(database_url: str) -> AbstractAsyncContextManager[object]:
    """A lock around the intake's writes on SQLite: a write after a read fails at once (not after
    the busy timeout) when another connection wrote in between, so the process queues its own."""
    return asyncio.Lock() if make_url(database_url).get_backend_name() == "sqlite" else nullcontext()


def intake_handler(
    ctx: AppContext, deliveries: Deliveries
) -> Callable[[web.Request], Awaitable[web.Response]]:
    limits = RateLimit(ctx.settings.alert_rate_limit)
    writing = one_writer_at_a_time(ctx.settings.database_url)

    async def handle(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        async with ctx.sessions() as session:
            found = await integrations.behind(session, request.match_info["secret"])
        if found is None or kind not in PATHS.get(found.kind, ()):
            log.warning("alert refused: no integration has this URL (…/%s, from %s)", kind, request.remote)
            return _answer(404, "no integration has this URL (it may have been rotated or removed)")
        if (wait := limits.retry_after(found.name)) is not None:
            message = f"too many requests for {found.name}; retry in {wait} s"
            return _answer(429, message, {"Retry-After": str(wait)})
        body = await _read(request)
        if isinstance(body, web.Response):
            return body
        try:
            signals = PARSERS[kind](body) if kind in PARSERS else []
        except BadAlert as bad:
            return _answer(400, str(bad))
        async with writing:
            return await _take(ctx, deliveries, found, kind, signals, body)

    return handle


async def _take(
    ctx: AppContext,
    deliveries: Deliveries,
    integration: Integration,
    kind: str,
    signals: list[Signal],
    body: bytes,
) -> web.Response:
    try:
        async with ctx.sessions() as session:
            view = await ctx.views.load(session)
    except NoTeam as error:
        return _answer(503, str(error))
    channel, at = incidents_channel(ctx, view), ctx.clock()
    if kind == "heartbeat":
        taken = await heartbeats.ping(
            ctx.sessions, view=view, integration=integration, channel=channel, at=at
        )
    elif kind == "fail":
        said = body.decode(errors="replace").strip()[:2000]
        taken = await heartbeats.fail(
            ctx.sessions, view=view, integration=integration, said=said, channel=channel, at=at
        )
    else:
        taken = await intake.take(
            ctx.sessions, view=view, integration=integration, signals=signals, channel=channel, at=at
        )
    deliveries.kick(dict.fromkeys(t.incident_id for t in taken if t.told and t.incident_id is not None))
    ids = [t.incident_id for t in taken]
    answer = {"status": "success", "message": "Event processed", "incident": ids[0] if ids else None}
    return web.json_response({**answer, "incidents": ids}, status=202)


def add_intake_routes(web_app: web.Application, ctx: AppContext) -> Deliveries:
    """Mount the intake; the deliveries it starts finish before the server's cleanup ends."""
    deliveries = Deliveries(ctx)
    web_app.router.add_post(ROUTE, intake_handler(ctx, deliveries))

    async def settle(_: web.Application) -> None:
        await deliveries.settle()

    web_app.on_cleanup.append(settle)
    web_app[DELIVERIES] = deliveries
    return deliveries
