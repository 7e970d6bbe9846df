"""A fake Slack Web API on 127.0.0.1 that records every call and can be told to fail."""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from itertools import count
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer
from slack_sdk.http_retry import builtin_async_handlers

DROP = -1  # a failure status that closes the connection without an answer

# The Slack accounts of the Week 5 team (examples/week5-team.yaml names everyone by email only).
WEEK5_USERS = {
    "alice@example.com": "U0ALICE01",
    "bob@example.com": "U0BOB0001",
    "charlie@example.com": "U0CHARLIE",
    "david@example.com": "U0DAVID01",
}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeSlack:
    """Record of calls, plus queued failures: `fail("chat.postMessage", 500)` fails the next such call
    (`DROP` instead of a status closes the connection; a 429 asks to wait `retry_after` seconds).

    `users_by_email` is the workspace users.lookupByEmail knows (email -> user id); `refusals` maps a
    method (or `method:channel`, for one channel only) to the error Slack answers it with, e.g.
    {"users.lookupByEmail": "missing_scope"} or {"chat.postMessage:U0CAROL01": "user_not_found"}.
    With `html_errors` a 5xx failure answers with a web page, as a proxy in front of Slack does.
    `scopes` is what auth.test says the token has (its `x-oauth-scopes` header); `channels` are the
    workspace's channels conversations.info and .list know, by id.
    """

    calls: list[Call] = field(default_factory=list)
    failures: defaultdict[str, deque[int]] = field(default_factory=lambda: defaultdict(deque))
    users_by_email: dict[str, str] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)
    retry_after: int = 0
    html_errors: bool = False
    scopes: list[str] = field(default_factory=list)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    server: TestServer | None = None
    socket: web.WebSocketResponse | None = None  # the app's Socket Mode connection, once it is open
    _ts: Any = field(default_factory=lambda: count(1))

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    def response_url(self, name: str = "cmd") -> str:
        assert self.server is not None
        return str(self.server.make_url(f"/response/{name}"))

    def fail(self, method: str, status: int, times: int = 1, *, after: int = 0) -> None:
        """Fail the next `times` calls of `method`, once `after` calls have gone through."""
        self.failures[method].extend([0] * after + [status] * times)

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        if request.content_type == "application/json":
            args = json.loads(raw or "{}")
        else:
            args = {**request.query, **dict(parse_qsl(raw))}
            for key in ("blocks", "view"):
                if isinstance(args.get(key), str):
                    args[key] = json.loads(args[key])
        self.calls.append(Call(method, args, dict(request.headers)))
        status = self.failures[method].popleft() if self.failures[method] else 0
        if status == DROP:
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if status >= 500 and self.html_errors:
            return web.Response(status=status, text="<html>Bad Gateway</html>", content_type="text/html")
        if status:
            headers = {"Retry-After": str(self.retry_after)} if status == 429 else {}
            return web.json_response(
                {"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"},
                status=status,
                headers=headers,
            )
        refusal = self.refusals.get(f"{method}:{args.get('channel')}") or self.refusals.get(method)
        if refusal:
            return web.json_response({"ok": False, "error": refusal})
        headers = {"x-oauth-scopes": ",".join(self.scopes)} if method == "auth.test" else {}
        return web.json_response({"ok": True, **self.answer(method, args)}, headers=headers)

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"user_id": "U0ONCALLBOT", "team_id": "T0TEST", "bot_id": "B0TEST"}
        if method in ("chat.postMessage", "chat.update"):
            return {"channel": args.get("channel", "C0TEST"), "ts": f"1700000000.{next(self._ts):06d}"}
        if method == "conversations.open":
            return {"channel": {"id": "D0" + str(args.get("users", "X"))[:8]}}
        if method == "apps.connections.open":
            assert self.server is not None
            return {"url": str(self.server.make_url("/socket")).replace("http://", "ws://")}
        if method == "chat.getPermalink":
            ts = str(args.get("message_ts", "")).replace(".", "")
            return {"permalink": f"https://example.slack.com/archives/{args.get('channel')}/p{ts}"}
        if method == "conversations.info":
            found = self.channels.get(str(args.get("channel")))
            return {"channel": found} if found else {"ok": False, "error": "channel_not_found"}
        if method == "conversations.list":
            return {"channels": list(self.channels.values()), "response_metadata": {"next_cursor": ""}}
        if method == "users.info":
            return {"user": {"id": args.get("user"), "tz": "America/New_York"}}
        if method == "users.lookupByEmail":
            found = self.users_by_email.get(str(args.get("email")))
            return {"user": {"id": found}} if found else {"ok": False, "error": "users_not_found"}
        return {}

    async def handle_response(self, request: web.Request) -> web.Response:
        self.calls.append(
            Call(f"response:{request.match_info['name']}", await request.json(), dict(request.headers))
        )
        return web.json_response({"ok": True})

    async def handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: what the app sends back over the connection (acknowledgements) is recorded."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.socket = socket
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.calls.append(Call("socket", json.loads(message.data), {}))
        return socket

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/socket", self.handle_socket)
        app.router.add_route("*", "/api/{method}", self.handle)
        app.router.add_post("/response/{name}", self.handle_response)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()


def record_rate_limit_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds slack_sdk's rate-limit retry waits, recorded instead of slept."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(builtin_async_handlers, "asyncio", SimpleNamespace(sleep=sleep))
    return waits
