"""What an operator watches, in Prometheus's text format at `GET /metrics`: the requests answered,
the calls made to Slack, the scheduled posts, the incidents, and how late the scheduler runs.

The counters live in the process (each replica is scraped on its own); the store-wide gauges (open
incidents) are read from the store at each scrape, so every replica reports the same figure.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.exposition import choose_encoder
from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.incidents import count_open

log = logging.getLogger(__name__)

COMMANDS = Counter(
    "oncall_commands",
    "Requests from Slack answered: slash commands, button presses, forms and events, by kind and outcome "
    "(ok; error: its listener failed; unhandled: no listener for it; refused: kind unverified, not "
    "signed by Slack)",
    ["kind", "outcome"],
)
LISTENER_FAILURES = Counter(
    "oncall_listener_failures", "Listeners that failed with an exception (the user saw an apology)", ["kind"]
)
SLACK_CALLS = Counter(
    "oncall_slack_calls",
    "Slack Web API calls by method and final result, after retries: ok, 429 (rate limited), 5xx "
    "(Slack's servers failed), refused (Slack answered an error), unreachable (no answer)",
    ["method", "result"],
)
POSTS = Counter(
    "oncall_posts",
    "Scheduled posts through the ledger by job: due (an attempt to send one not sent yet), sent, held "
    "(Slack refused it for a reason retrying cannot fix), failed (to be tried again)",
    ["job", "state"],
)
OUTBOX_AGE = Gauge(
    "oncall_outbox_oldest_seconds",
    "How long past its time the oldest due post still unsent waits, at the last scheduler run; 0 when none",
)
UNVERIFIED_RESENDS = Counter(
    "oncall_outbox_unverified_resends",
    "Posts a dead replica may have sent, sent again without Slack being asked whether it has them "
    "(a missing history scope, a conversation the bot cannot read): each may show twice",
)
OPEN_INCIDENTS = Gauge("oncall_open_incidents", "Incidents not resolved, in the store")
ESCALATIONS = Counter(
    "oncall_escalations", "Escalation levels called by the timer, by severity", ["severity"]
)
SCHEDULER_LAG = Gauge(
    "oncall_scheduler_lag_seconds", "How late the scheduler's last job started after its planned time"
)


def request_kind(body: dict[str, Any]) -> str:
    """/oncall, action:<action_id>, view:<callback_id>, event:<type>, or the payload's type."""
    if command := body.get("command"):
        return str(command)
    if actions := body.get("actions"):
        return f"action:{str(actions[0].get('action_id')).split('#')[0]}"  # not the copy's number
    if view := body.get("view"):
        return f"view:{view.get('callback_id')}"
    if event := body.get("event"):
        return f"event:{event.get('type')}"
    return str(body.get("type") or "unknown")


def request_answered(body: dict[str, Any], *, status: int, failed: bool) -> None:
    """Count one request from Slack by kind and how it was answered."""
    if status == 401:  # not signed by Slack: its body names whatever the sender liked
        COMMANDS.labels("unverified", "refused").inc()
        return
    outcome = "error" if failed or status >= 500 else "unhandled" if status == 404 else "ok"
    COMMANDS.labels(request_kind(body), outcome).inc()


def slack_result(error: Exception | None) -> str:
    if error is None:
        return "ok"
    if not isinstance(error, SlackApiError):
        return "unreachable"
    status = error.response.status_code
    return "429" if status == 429 else "5xx" if status >= 500 else "refused"


@contextmanager
def slack_call(method: str) -> Iterator[None]:
    """Count one Web API call by its result; the error, if any, goes on."""
    try:
        yield
    except Exception as error:
        SLACK_CALLS.labels(method, slack_result(error)).inc()
        raise
    SLACK_CALLS.labels(method, "ok").inc()


def post_state(job: str, state: str) -> None:
    POSTS.labels(job, state).inc()


def outbox_waiting(unsent_due: list[datetime], *, now: datetime) -> None:
    OUTBOX_AGE.set(max(((now - due).total_seconds() for due in unsent_due), default=0))


async def exposition(session: AsyncSession, *, accept: str) -> tuple[bytes, str]:
    """The metrics in the format the scraper accepts (Prometheus text or OpenMetrics), and its content
    type; the store's figures read now."""
    try:
        OPEN_INCIDENTS.set(await count_open(session))
    except Exception as error:  # a scrape still answers with what the process knows
        log.warning("metrics: could not read the store: %s", error)
    encode, content_type = choose_encoder(accept)
    return encode(REGISTRY), content_type
