"""The Web API client: Slack's URL or SLACK_API_URL, retrying rate limits, lost connections and
Slack's own server errors with growing waits; and what to do about refusals retrying cannot fix."""

from __future__ import annotations

import random

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

# A call that failed on the way: the connection to Slack, not Slack's answer.
CONNECTION_ERRORS = (aiohttp.ClientError, OSError, TimeoutError)
# Any failed call: Slack refused it, or it never got an answer.
CALL_ERRORS = (SlackApiError, *CONNECTION_ERRORS)

MAX_RETRIES = 2
_TOKEN = "SLACK_BOT_TOKEN is not valid any more: reinstall the app and put its new token in SLACK_BOT_TOKEN"
_PERSON = "check the person's Slack id in the team file"
# Slack's answers that no retry changes, each with what an admin can do about it.
REFUSALS = {
    "channel_not_found": "check that {channel} exists and invite the bot to it (/invite @oncall-bot)",
    "not_in_channel": "invite the bot to {channel} (/invite @oncall-bot)",
    "is_archived": "{channel} is archived: unarchive it or name another channel in the team file",
    "restricted_action": "the workspace does not let the bot post in {channel}: ask a Slack admin",
    "missing_scope": "the app lacks a scope: reinstall it from manifest.yml",
    "invalid_auth": _TOKEN,
    "not_authed": _TOKEN,
    "token_revoked": _TOKEN,
    "token_expired": _TOKEN,
    "account_inactive": _TOKEN,
    "user_not_found": _PERSON,
    "user_disabled": _PERSON,
    "cannot_dm_bot": _PERSON,
    "invalid_blocks": "Slack refused the message as built: please report it as a bug",
}


def failure_reason(error: SlackApiError) -> str:
    """Slack's error code; the HTTP status when the answer was not Slack's (a proxy's 502 page)."""
    return str(error.response.get("error") or f"HTTP {error.response.status_code}")


def refusal_hint(error: str, channel: str) -> str | None:
    """What to do about a refusal no retry changes; None when trying again may well work."""
    hint = REFUSALS.get(error)
    return hint.format(channel=channel) if hint else None


class Backoff(RetryIntervalCalculator):
    """Waits `first`, then twice that, and so on; each stretched by up to half again so that
    replicas failing together do not retry in step."""

    def __init__(self, first: float) -> None:
        self.first = first

    def calculate_sleep_duration(self, current_attempt: int) -> float:
        return self.first * 2**current_attempt * (1 + random.random() / 2)


class ServerErrorRetryHandler(AsyncRetryHandler):
    """Retries any 5xx answer (the stock handler knows only 500 and 503, not a proxy's 502 or 504).

    A post is repeated too: Slack may rarely have posted before failing, but a handoff or an incident
    thread that never arrives costs more than one that arrives twice.
    """

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code >= 500


def retry_handlers(backoff_seconds: float) -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
        AsyncConnectionErrorRetryHandler(
            max_retry_count=MAX_RETRIES, interval_calculator=Backoff(backoff_seconds)
        ),
        ServerErrorRetryHandler(max_retry_count=MAX_RETRIES, interval_calculator=Backoff(backoff_seconds)),
    ]


def make_client(settings: Settings, *, token: str | None = None) -> AsyncWebClient:
    base_url = settings.slack_api_url or AsyncWebClient.BASE_URL
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        retry_handlers=retry_handlers(settings.slack_retry_seconds),
    )
