"""The HTTP side: Slack's events endpoint (HTTP mode), the health check and the calendar feeds."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import ClientError, web
from aiohttp.abc import AbstractAccessLogger
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.features.calendar import feeds as calendar_service
from bot.features.oncall.runbooks import load_all
from bot.jobs.scheduler import Rituals
from bot.settings import MissingSetting, Settings
from bot.slack.app import BotIdentity, create_app
from bot.store.db import create_engine, session_factory

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is not from Slack
Feed = Callable[[str], Awaitable[str | None]]


def calendar_feed(ctx: AppContext) -> Feed:
    async def render(secret: str) -> str | None:
        async with ctx.sessions() as session:
            return await calendar_service.render_feed(session, secret=secret, at=ctx.clock())

    return render


def create_web_app(app: AsyncApp | None, ctx: AppContext, *, calendar: Feed | None = None) -> web.Application:
    """Routes: /healthz and /calendar always; /slack/events when Slack reaches us over HTTP."""
    feed = calendar or calendar_feed(ctx)

    async def healthz(_: web.Request) -> web.Response:
        try:
            async with ctx.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any database failure means the same: not healthy
            log.warning("health check failed: %s", error)
            return web.json_response({"status": "unavailable", "reason": "database unreachable"}, status=503)
        return web.json_response({"status": "ok"})

    async def calendar_route(request: web.Request) -> web.Response:
        body = await feed(request.match_info["secret"])
        if body is None:
            return web.Response(status=404, text="No such calendar (it may have been reset).\n")
        return web.Response(text=body, content_type="text/calendar", charset="utf-8")

    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get(r"/calendar/{secret:[A-Za-z0-9_-]{16,128}}.ics", calendar_route)
    if app is not None:
        web_app.router.add_post("/slack/events", _events(app))
    return web_app


class RedactingAccessLogger(AbstractAccessLogger):
    """One line a request, with calendar paths blanked: a feed's URL is its only password."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = "/calendar/<secret>.ics" if request.path.startswith("/calendar/") else request.path
        self.logger.info("%s %s %s %.0f ms", request.method, path, response.status, time * 1000)


def make_runner(web_app: web.Application) -> web.AppRunner:
    return web.AppRunner(web_app, access_log_class=RedactingAccessLogger)


def _events(app: AsyncApp) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def events(request: web.Request) -> web.Response:
        try:
            bolt_request = await to_bolt_request(request)
            response = await app.async_dispatch(bolt_request)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # A body that cannot be read runs no listener; it is the sender's mistake, not ours.
            log.warning("unreadable Slack request: %s", error)
            return web.Response(status=400, text="The request body could not be read.\n")
        return await to_aiohttp_response(response)

    return events


class SlackUnreachable(RuntimeError):
    """Slack's Web API could not be reached at start-up."""


async def identify(settings: Settings) -> BotIdentity:
    """Check the bot token with Slack once, at start-up, and learn the bot's own ids."""
    client = make_client(settings, token=settings.require("slack_bot_token"))
    try:
        answer = await client.auth_test()
    except (ClientError, OSError, TimeoutError) as error:
        where = settings.slack_api_url or "Slack's Web API"
        raise SlackUnreachable(f"cannot reach {where} to check SLACK_BOT_TOKEN: {error}") from None
    except SlackApiError as error:
        raise MissingSetting(
            "SLACK_BOT_TOKEN", f"Slack refused it ({error.response.get('error')}); copy it again"
        ) from None
    return BotIdentity(
        team_id=answer.get("team_id"), bot_user_id=answer["user_id"], bot_id=answer.get("bot_id")
    )


def settle_memory() -> None:
    """Move what start-up allocated out of the garbage collector's way.

    The team, the app and the imported libraries live as long as the process; scanning them on
    every full collection only adds pauses to request latency.
    """
    gc.collect()
    gc.freeze()


def report_runbooks(ctx: AppContext) -> None:
    _, problems = load_all(ctx.runbooks_dir)
    for problem in problems:
        log.error("runbook problem: %s", problem)


@dataclass(frozen=True)
class Service:
    """What `serve` runs: the Bolt app, the web routes in front of it and the scheduled rituals."""

    ctx: AppContext
    app: AsyncApp
    web_app: web.Application
    rituals: Rituals


def utc_now() -> datetime:
    return datetime.now(UTC)


async def start_service(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Callable[[], datetime] = utc_now,
) -> Service:
    """Check the settings and Slack, build the app and start the rituals; nothing listens yet."""
    settings.require("slack_bot_token")
    if not settings.socket_mode:
        settings.require("slack_signing_secret")
    ctx = AppContext(settings, sessions, clock, settings.runbooks_dir)
    report_runbooks(ctx)
    identity = await identify(settings)
    app = create_app(ctx, client=make_client(settings), identity=identity)
    rituals = Rituals(
        ctx,
        make_client(settings, token=settings.require("slack_bot_token")),
        grace=timedelta(hours=settings.post_grace_hours),
    )
    await rituals.start()
    return Service(ctx, app, create_web_app(None if settings.socket_mode else app, ctx), rituals)


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT: HTTP (or Socket Mode) for Slack, plus health and calendars."""
    engine = create_engine(settings.database_url)
    try:
        await _serve(await start_service(settings, session_factory(engine)))
    finally:
        await engine.dispose()


async def open_socket_mode(service: Service) -> AsyncSocketModeHandler | None:
    """Connect to Slack over Socket Mode when an app-level token is set; None in HTTP mode."""
    settings = service.ctx.settings
    if not settings.socket_mode:
        return None
    socket = AsyncSocketModeHandler(service.app, settings.require("slack_app_token"))
    await socket.connect_async()
    return socket


async def _serve(service: Service) -> None:
    settings = service.ctx.settings
    runner = make_runner(service.web_app)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", settings.port).start()
    settle_memory()
    socket = await open_socket_mode(service)
    log.info("serving on port %s (%s)", settings.port, "Socket Mode" if socket else "HTTP")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        service.rituals.shutdown()
        if socket is not None:
            await socket.close_async()
        await runner.cleanup()
