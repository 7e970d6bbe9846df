"""The Slack Web API client: Slack's URL or SLACK_API_URL, with retries that never double a post."""

from __future__ import annotations

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

MAX_RETRIES = 2
# Calls whose repetition cannot duplicate anything a person sees.
SAFE_TO_REPEAT = (
    "auth.test",
    "users.info",
    "users.lookupByEmail",
    "conversations.info",
    "conversations.open",
    "usergroups.list",
    "usergroups.users.list",
    "usergroups.users.update",
    "views.publish",
    "chat.update",
)


class ServerErrorRetryHandler(AsyncRetryHandler):
    """Retries a 5xx answer, but only for methods that are safe to repeat (never chat.postMessage)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code < 500:
            return False
        return request.url.rstrip("/").rsplit("/", 1)[-1] in SAFE_TO_REPEAT


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ServerErrorRetryHandler(max_retry_count=MAX_RETRIES),
    ]


def make_client(settings: Settings, *, token: str | None = None) -> AsyncWebClient:
    base_url = settings.slack_api_url or AsyncWebClient.BASE_URL
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        retry_handlers=retry_handlers(),
    )
