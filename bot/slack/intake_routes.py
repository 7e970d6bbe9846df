"""The alert intake over HTTP: `POST /integrations/<secret>/<kind>`. An alert is stored before it
is answered (202 with the incident's id), and alerts arriving together are stored and routed in one
batch (bot/features/alerts/group_commit.py); its thread is posted in the background through the post
ledger, and whatever Slack does not take then, the minute sweep sends later.

A wrong, rotated or removed secret is 404 and is logged without the secret; the access log blanks it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from aiohttp import web
from limits import parse as parse_limit
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.alerts import BadAlert, Signal, parse_alertmanager, parse_generic
from bot.delivery.incidents import deliver, incidents_channel
from bot.delivery.slack_api import make_client
from bot.features.alerts import heartbeats, intake, integrations
from bot.features.alerts.group_commit import GroupCommit
from bot.features.alerts.intake import Taken
from bot.features.oncall.views import NoTeam, TeamView
from bot.settings import MissingSetting
from bot.store.health import HEALTH, unreachable
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
    word = {400: "invalid", 500: "error", 503: "unavailable"}.get(status, "refused")
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


@dataclass(frozen=True)
class Arrival:
    """One request to the intake, read and parsed, waiting for its batch."""

    secret: str
    kind: str
    body: bytes
    signals: list[Signal] | BadAlert  # what it brought, or why that cannot be taken


class IntakeEndpoint:
    """Takes the requests that arrive together as one batch (group commit): one read finds their
    integrations, one transaction stores their alerts, and each cause is routed once. The batch
    writer is also the process's one writer of alerts, which SQLite needs: writers of one process
    on many connections would queue for the file's lock and time out under a storm."""

    def __init__(self, ctx: AppContext, deliveries: Deliveries) -> None:
        self.ctx, self.deliveries = ctx, deliveries
        self.limits = RateLimit(ctx.settings.alert_rate_limit)
        self.batches = GroupCommit(self._take)

    async def handle(self, request: web.Request) -> web.Response:
        body = await _read(request)
        if isinstance(body, web.Response):
            return body
        kind = request.match_info["kind"]
        try:
            signals: list[Signal] | BadAlert = PARSERS[kind](body) if kind in PARSERS else []
        except BadAlert as bad:  # told only once the URL is known to be right
            signals = bad
        arrival = Arrival(request.match_info["secret"], kind, body, signals)
        try:
            answer = await self.batches.submit(arrival)
        except Exception as error:  # the sender retries on 5xx, as Alertmanager and PagerDuty senders do
            if unreachable(error):
                HEALTH.failed(error)
                return _answer(503, "the database is not answering; send it again")
            log.exception("taking an alert from …/%s failed", kind)
            return _answer(500, "taking the alert failed; send it again (the bot's log says why)")
        if answer.status == 404:
            log.warning("alert refused: no integration has this URL (…/%s, from %s)", kind, request.remote)
        return answer

    async def _take(self, arrivals: Sequence[Arrival]) -> list[web.Response | Exception]:
        at = self.ctx.clock()
        async with self.ctx.sessions() as session:
            found = await integrations.behind(session, {a.secret for a in arrivals})
            try:
                view: TeamView | NoTeam = await self.ctx.views.load(session)
            except NoTeam as missing:
                view = missing
            answers: dict[int, web.Response | list[Taken] | Exception] = {
                n: refusal
                for n, arrival in enumerate(arrivals)
                if (refusal := self._refusal(arrival, found.get(arrival.secret), view)) is not None
            }
            alerts = {
                n: intake.Sent(found[a.secret], a.signals)
                for n, a in enumerate(arrivals)
                if n not in answers and a.kind in PARSERS and not isinstance(a.signals, BadAlert)
            }
            stored = await intake.store_together(session, sent=list(alerts.values()), at=at)
            await session.commit()
        if isinstance(view, TeamView):
            channel = incidents_channel(self.ctx, view)
            routed = await intake.route_together(self.ctx.sessions, stored, view=view, channel=channel, at=at)
            answers.update(zip(alerts, routed, strict=True))
            for n, arrival in enumerate(arrivals):
                if n not in answers:  # a heartbeat: one at a time, after the alerts
                    answers[n] = await _heartbeat(self.ctx, view, found[arrival.secret], arrival)
        return [self._answer(answers[n]) for n in range(len(arrivals))]

    def _refusal(
        self, arrival: Arrival, integration: Integration | None, view: TeamView | NoTeam
    ) -> web.Response | None:
        """Why the request cannot be taken, the first reason in this order; None when it can."""
        if integration is None or arrival.kind not in PATHS.get(integration.kind, ()):
            return _answer(404, "no integration has this URL (it may have been rotated or removed)")
        if (wait := self.limits.retry_after(integration.name)) is not None:
            message = f"too many requests for {integration.name}; retry in {wait} s"
            return _answer(429, message, {"Retry-After": str(wait)})
        if isinstance(arrival.signals, BadAlert):
            return _answer(400, str(arrival.signals))
        if isinstance(view, NoTeam):
            return _answer(503, str(view))
        return None

    def _answer(self, outcome: web.Response | list[Taken] | Exception) -> web.Response | Exception:
        if isinstance(outcome, web.Response | Exception):
            return outcome
        self.deliveries.kick(
            dict.fromkeys(t.incident_id for t in outcome if t.told and t.incident_id is not None)
        )
        ids = [t.incident_id for t in outcome]
        answer = {"status": "success", "message": "Event processed", "incident": ids[0] if ids else None}
        return web.json_response({**answer, "incidents": ids}, status=202)


async def _heartbeat(
    ctx: AppContext, view: TeamView, integration: Integration, arrival: Arrival
) -> list[Taken] | Exception:
    """A report in, or of a failure; why it failed, for its sender alone."""
    channel, at = incidents_channel(ctx, view), ctx.clock()
    said = arrival.body.decode(errors="replace").strip()[:2000]
    try:
        if arrival.kind == "heartbeat":
            return await heartbeats.ping(
                ctx.sessions, view=view, integration=integration, channel=channel, at=at
            )
        return await heartbeats.fail(
            ctx.sessions, view=view, integration=integration, said=said, channel=channel, at=at
        )
    except Exception as error:
        return error


INTAKE = web.AppKey("intake", IntakeEndpoint)


def add_intake_routes(web_app: web.Application, ctx: AppContext) -> Deliveries:
    """Mount the intake; the deliveries it starts finish before the server's cleanup ends."""
    deliveries = Deliveries(ctx)
    endpoint = IntakeEndpoint(ctx, deliveries)
    web_app.router.add_post(ROUTE, endpoint.handle)

    async def settle(_: web.Application) -> None:
        await deliveries.settle()

    web_app.on_cleanup.append(settle)
    web_app[DELIVERIES], web_app[INTAKE] = deliveries, endpoint
    return deliveries
