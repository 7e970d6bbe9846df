"""What a user is told when their command or click failed, and failing after the acknowledgement
without Bolt turning the acknowledged click into an HTTP 404."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot import metrics
from bot.messages.common import section
from bot.store.health import HEALTH, unreachable

log = logging.getLogger(__name__)
SORRY = ":warning: Something went wrong on our side; it has been logged. Please try again in a minute."
DATABASE_DOWN = (
    ":warning: The bot's database is not answering; your action was not applied. "
    "Please try again in a minute."
)


def apology(failure: str, error: BaseException, *, kind: str) -> str:
    """Count the failure by the request's kind, log it and say what the user should know of it: a
    database that does not answer is logged once (not per request, and without a traceback),
    anything else with its traceback."""
    metrics.LISTENER_FAILURES.labels(kind).inc()
    if unreachable(error):
        HEALTH.failed(error)
        log.debug("%s: the database is not answering", failure, exc_info=error)
        return DATABASE_DOWN
    log.error("%s", failure, exc_info=error)
    return SORRY


def apology_payload(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "blocks": [section(text)], "text": text}


def form_apology(view: dict[str, Any], text: str) -> dict[str, Any] | None:
    """The apology shown under the form's first input, keeping the form and what was typed; None
    for a form without inputs."""
    field = next((b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"), None)
    if field is None:
        return None
    return {"response_action": "errors", "errors": {field: text.removeprefix(":warning: ")}}


async def tell(respond: Callable[..., Awaitable[Any]], what: str, text: str) -> bool:
    """Say `text` where the user who asked sees it; False when even that failed."""
    try:
        await respond(replace_original=False, **apology_payload(text))
    except Exception:  # the apology itself failing must not hide the first error
        log.exception("could not tell the user that %s failed", what)
        return False
    return True


async def after_ack(
    body: dict[str, Any], respond: Callable[..., Awaitable[Any]] | None, work: Awaitable[None]
) -> None:
    """Do a listener's work once it acknowledged; a failure is told to the user, never raised into
    Bolt (which, when it fails quickly, withdraws the acknowledgement and answers Slack 404)."""
    try:
        await work
    except Exception as error:
        kind = metrics.request_kind(body)
        text = apology(f"listener failed for {kind}", error, kind=kind)
        if respond is not None:
            await tell(respond, kind, text)
