"""A Web API client for the local shell: every call goes to the shell instead of Slack, and is answered
as Slack would answer it (a fresh message ts, a fresh view id), so handlers that keep them work."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Awaitable, Callable
from itertools import count
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

Sink = Callable[[str, dict[str, Any], dict[str, Any]], Awaitable[None]]  # method, arguments, answer


def parsed(value: Any) -> Any:
    """Blocks and views arrive as JSON text when sent as a form."""
    return json.loads(value) if isinstance(value, str) else value


def fresh_id(prefix: str) -> str:
    """Unique across sessions too: the store keeps trigger and view ids in idempotency keys."""
    return f"{prefix}{secrets.token_hex(5).upper()}"


class RecordingClient(AsyncWebClient):
    def __init__(self, sink: Sink) -> None:
        super().__init__()
        self.sink = sink
        self._messages = count(1)
        self._started = int(time.time())

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = {"ok": True}
        if method.startswith("chat."):
            ts = args.get("ts") or f"{self._started}.{next(self._messages):06d}"
            answer |= {"channel": args.get("channel", ""), "ts": ts, "message_ts": ts}
        if method.startswith("views."):
            view = parsed(args.get("view")) or {}
            answer["view"] = {**view, "id": args.get("view_id") or fresh_id("V")}
        return answer

    async def api_call(
        self, api_method: str, *, http_verb: str = "POST", **kwargs: Any
    ) -> AsyncSlackResponse:  # type: ignore[override]
        args: dict[str, Any] = {}
        for part in ("params", "data", "json"):
            args.update(kwargs.get(part) or {})
        answer = self._answer(api_method, args)
        await self.sink(api_method, args, answer)
        return AsyncSlackResponse(
            client=self,
            http_verb=http_verb,
            api_url=api_method,
            req_args={},
            data=answer,
            headers={},
            status_code=200,
        )
