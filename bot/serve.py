"""The HTTP side: Slack's events endpoint (HTTP mode), the health check, the metrics, the calendar
feeds and the alert intake."""

from __future__ import annotations

import asyncio
import gc
import itertools
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

from bot import metrics
from bot.context import AppContext
from bot.delivery.slack_api import Backoff, make_client
from bot.features.calendar import feeds as calendar_service
from bot.features.oncall.runbooks import load_all
from bot.jobs.scheduler import Rituals
from bot.settings import MissingSetting, Settings
from bot.slack.app import BotIdentity, create_app
from bot.slack.intake_routes import add_intake_routes, redacted_path
from bot.store.db import create_engine, session_factory
from bot.store.health import HEALTH

log = logging.getLogger(__name__)
HEALTH_SECONDS = 0.8  # a health check answers within a second, whether the database does or not
# Between start-up checks of the token while Slack cannot be reached.
LEAST_SLACK_WAIT_S, MOST_SLACK_WAIT_S = 0.5, 60
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is not from Slack
Feed = Callable[[str], Awaitable[str | None]]


def calendar_feed(ctx: AppContext) -> Feed:
    async def render(secret: str) -> str | None:
        async with ctx.sessions() as session:
            body = await calendar_service.render_feed(session, secret=secret, at=ctx.clock())
            await session.commit()  # the events' revisions, kept for the next fetch
            return body

    return render


def create_web_app(
    slack: SlackEvents | None, ctx: AppContext, *, calendar: Feed | None = None
) -> web.Application:
    """Routes: /healthz, /metrics, /calendar and the alert intake always; /slack/events when Slack
    reaches us over HTTP."""
    feed = calendar or calendar_feed(ctx)

    async def probe() -> None:
        async with ctx.sessions() as session:
            await session.execute(text("SELECT 1"))

    async def healthz(_: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(probe(), HEALTH_SECONDS)
        except Exception as error:  # any database failure means the same: not healthy
            HEALTH.failed(error)
            return web.json_response({"status": "unavailable", "reason": "database unreachable"}, status=503)
        return web.json_response({"status": "ok"})

    async def calendar_route(request: web.Request) -> web.Response:
        body = await feed(request.match_info["secret"])
        if body is None:
            return web.Response(status=404, text="No such calendar (it may have been reset).\n")
        return web.Response(text=body, content_type="text/calendar", charset="utf-8")

    async def metrics_route(request: web.Request) -> web.Response:
        async with ctx.sessions() as session:
            body, content_type = await metrics.exposition(session, accept=request.headers.get("Accept", ""))
        return web.Response(body=body, headers={"Content-Type": content_type})

    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics_route)
    web_app.router.add_get(r"/calendar/{secret:[A-Za-z0-9_-]{16,128}}.ics", calendar_route)
    add_intake_routes(web_app, ctx)
    if slack is not None:
        web_app.router.add_post("/slack/events", slack.handle)
    return web_app


class RedactingAccessLogger(AbstractAccessLogger):
    """One line a request, with calendar and intake paths blanked: their URL is their only password."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = "/calendar/<secret>.ics" if request.path.startswith("/calendar/") else request.path
        path = redacted_path(path) if path.startswith("/integrations/") else path
        self.logger.info("%s %s %s %.0f ms", request.method, path, response.status, time * 1000)


def make_runner(web_app: web.Application) -> web.AppRunner:
    return web.AppRunner(web_app, access_log_class=RedactingAccessLogger)


class SlackUnreachable(RuntimeError):
    """Slack's Web API could not be reached, or answered with its own failure (5xx, rate limit)."""


async def identify(settings: Settings) -> BotIdentity:
    """Check the bot token with Slack and learn the bot's own ids."""
    client = make_client(settings, token=settings.require("slack_bot_token"))
    where = settings.slack_api_url or "Slack's Web API"
    try:
        answer = await client.auth_test()
    except (ClientError, OSError, TimeoutError) as error:
        raise SlackUnreachable(f"cannot reach {where} to check SLACK_BOT_TOKEN: {error}") from None
    except SlackApiError as error:
        status = error.response.status_code
        if status >= 500 or status == 429:
            raise SlackUnreachable(f"{where} answers HTTP {status} to checking SLACK_BOT_TOKEN") from None
        raise MissingSetting(
            "SLACK_BOT_TOKEN", f"Slack refused it ({error.response.get('error')}); copy it again"
        ) from None
    return BotIdentity(
        team_id=answer.get("team_id"), bot_user_id=answer["user_id"], bot_id=answer.get("bot_id")
    )


class SlackEvents:
    """The /slack/events route. Its Bolt app exists once Slack has confirmed the token; until then
    Slack's requests get 503 (Slack retries events; a command shows Slack's own error)."""

    def __init__(self, app: AsyncApp | None = None) -> None:
        self.app = app

    async def handle(self, request: web.Request) -> web.Response:
        if self.app is None:
            return web.Response(
                status=503,
                text="The bot has not reached Slack yet; try again shortly.\n",
                headers={"Retry-After": "10"},
            )
        # Bolt's signature check fails with a traceback on a timestamp that is not a number.
        if not request.headers.get("X-Slack-Request-Timestamp", "").isdigit():
            metrics.request_answered({}, status=401, failed=False)
            return web.Response(status=401, text="The request is not signed by Slack.\n")
        try:
            bolt_request = await to_bolt_request(request)
            response = await self.app.async_dispatch(bolt_request)
        except (ValueError, LookupError, TypeError, AttributeError) as error:
            # A body that cannot be read runs no listener; it is the sender's mistake, not ours.
            log.warning("unreadable Slack request: %s", error)
            return web.Response(status=400, text="The request body could not be read.\n")
        return await to_aiohttp_response(response)


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
    """What `serve` runs: the web routes (Slack's among them once Slack is reached) and the
    scheduled rituals."""

    ctx: AppContext
    slack: SlackEvents
    web_app: web.Application
    rituals: Rituals

    @property
    def app(self) -> AsyncApp:
        if self.slack.app is None:
            raise RuntimeError("Slack has not been reached yet")
        return self.slack.app

    async def reach_slack(self) -> None:
        """Check the token with Slack and let Slack's requests in. While Slack cannot be reached,
        try again with growing waits (up to a minute); a token Slack refuses is given up at once."""
        settings = self.ctx.settings
        # Never less than the least wait: SLACK_RETRY_SECONDS=0 must not turn this into a busy loop.
        waits = Backoff(max(LEAST_SLACK_WAIT_S, settings.slack_retry_seconds))
        for attempt in itertools.count():
            try:
                identity = await identify(settings)
                break
            except SlackUnreachable as error:
                wait = min(MOST_SLACK_WAIT_S, waits.calculate_sleep_duration(attempt))
                log.warning(
                    "%s; alerts and health checks are answered meanwhile; trying again in %.1f s", error, wait
                )
                await asyncio.sleep(wait)
        self.slack.app = create_app(self.ctx, client=make_client(settings), identity=identity)
        if attempt:
            log.info("Slack is reached: its requests are let in")


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_service(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Callable[[], datetime] = utc_now,
) -> Service:
    """Check the settings, build the routes and the rituals; nothing listens, runs or calls Slack yet."""
    settings.require("slack_bot_token")
    if not settings.socket_mode:
        settings.require("slack_signing_secret")
    ctx = AppContext(settings, sessions, clock, settings.runbooks_dir)
    report_runbooks(ctx)
    rituals = Rituals(
        ctx,
        make_client(settings, token=settings.require("slack_bot_token")),
        grace=timedelta(hours=settings.post_grace_hours),
    )
    slack = SlackEvents()
    return Service(ctx, slack, create_web_app(None if settings.socket_mode else slack, ctx), rituals)


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT: HTTP (or Socket Mode) for Slack, plus health, metrics, calendars
    and the alert intake."""
    engine = create_engine(settings.database_url)
    try:
        await _serve(build_service(settings, session_factory(engine)))
    finally:
        await engine.dispose()


async def open_socket_mode(service: Service) -> AsyncSocketModeHandler | None:
    """Connect to Slack over Socket Mode when an app-level token is set; None in HTTP mode."""
    settings = service.ctx.settings
    if not settings.socket_mode:
        return None
    socket = AsyncSocketModeHandler(service.app, settings.require("slack_app_token"))
    await socket.connect_async()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
    return socket


async def _serve(service: Service) -> None:
    settings = service.ctx.settings
    runner = make_runner(service.web_app)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", settings.port).start()
    settle_memory()
    log.info("serving on port %s (%s)", settings.port, "Socket Mode" if settings.socket_mode else "HTTP")
    # Listening first: alerts, /healthz and the catch-up must not wait on a Slack that is down.
    catch_up = asyncio.create_task(service.rituals.start())
    stop = asyncio.Event()
    sockets: list[AsyncSocketModeHandler] = []
    refused: list[Exception] = []

    async def connect() -> None:
        try:
            await service.reach_slack()
            if socket := await open_socket_mode(service):
                sockets.append(socket)
        except Exception as error:  # Slack refused the token (or the socket): waiting changes nothing
            refused.append(error)
            stop.set()

    connecting = asyncio.create_task(connect())
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        catch_up.cancel()
        connecting.cancel()
        # Let them unwind before the engine is disposed: a query cut off later would outlive the loop.
        await asyncio.gather(catch_up, connecting, return_exceptions=True)
        service.rituals.shutdown()
        for socket in sockets:
            await socket.close_async()  # type: ignore[no-untyped-call]
        await runner.cleanup()
    if refused:
        raise refused[0]
