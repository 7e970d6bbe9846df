"""A fake Slack Web API on 127.0.0.1 that records every call and can be told to fail."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from collections.abc import Callable
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
LATE = -2  # takes the call (a message is posted) but answers only once released
STUCK = -3  # takes nothing and answers only once released

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

    Posted messages are kept per conversation (a post to a person's id goes to their DM, named as
    conversations.open names it) with their metadata, for conversations.history and .replies. Message
    timestamps count from `epoch` (e.g. time.time) when given, else from a fixed instant.
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
    messages: defaultdict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    epoch: Callable[[], float] | None = None
    holding: asyncio.Event = field(default_factory=asyncio.Event)  # set while a call waits (LATE, STUCK)
    _release: asyncio.Event = field(default_factory=asyncio.Event)
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

    def answer_late(self, method: str, *, after: int = 0, posted: bool = True) -> None:
        """Hold the answer to the call of `method` after `after` others until `release()`; with
        `posted` Slack takes it first (a message is posted), else nothing comes of it."""
        self.fail(method, LATE if posted else STUCK, after=after)

    def release(self) -> None:
        """Answer the calls held so far; a later `answer_late` holds again."""
        self._release.set()
        self._release = asyncio.Event()
        self.holding.clear()

    def posted(self, key: str) -> list[dict[str, Any]]:
        """Every message posted with this ledger key in its metadata, anywhere."""
        return [
            m
            for messages in self.messages.values()
            for m in messages
            if ((m.get("metadata") or {}).get("event_payload") or {}).get("ledger_key") == key
        ]

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
        if status in (LATE, STUCK):
            answer = self.answer(method, args) if status == LATE else {}
            self.holding.set()
            await self._release.wait()
            return web.json_response({"ok": True, **answer})
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
        handler = {
            "auth.test": lambda _: {"user_id": "U0ONCALLBOT", "team_id": "T0TEST", "bot_id": "B0TEST"},
            "chat.postMessage": self.post,
            "chat.update": lambda a: {"channel": a.get("channel", "C0TEST"), "ts": self.next_ts()},
            "conversations.open": lambda a: {"channel": {"id": "D0" + str(a.get("users", "X"))[:8]}},
            "conversations.list": self.channel_list,
            "conversations.history": lambda a: self.page(
                a, [m for m in self.read(a) if m.get("thread_ts") in (None, m["ts"])][::-1]
            ),
            "conversations.replies": lambda a: self.page(
                a, [m for m in self.read(a) if str(a.get("ts")) in (m["ts"], m.get("thread_ts"))]
            ),
            "conversations.info": self.channel_info,
            "apps.connections.open": lambda _: {"url": self.socket_url()},
            "chat.getPermalink": lambda a: {
                "permalink": f"https://example.slack.com/archives/{a.get('channel')}/p"
                + str(a.get("message_ts", "")).replace(".", "")
            },
            "users.info": lambda a: {"user": {"id": a.get("user"), "tz": "America/New_York"}},
            "users.lookupByEmail": self.lookup_by_email,
        }.get(method)
        return handler(args) if handler else {}

    def socket_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/socket")).replace("http://", "ws://")

    def channel_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channels set up in `channels`, and those posted to by name (their name is their id)."""
        named = [{"id": c, "name": c.removeprefix("#")} for c in self.messages if c.startswith("#")]
        known = [*self.channels.values(), *named]
        return self.page(args, known) | {"channels": known}

    def channel_info(self, args: dict[str, Any]) -> dict[str, Any]:
        found = self.channels.get(str(args.get("channel")))
        return {"channel": found} if found else {"ok": False, "error": "channel_not_found"}

    def lookup_by_email(self, args: dict[str, Any]) -> dict[str, Any]:
        found = self.users_by_email.get(str(args.get("email")))
        return {"user": {"id": found}} if found else {"ok": False, "error": "users_not_found"}

    def next_ts(self) -> str:
        seconds = int(self.epoch()) if self.epoch else 1700000000
        return f"{seconds}.{next(self._ts):06d}"

    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", "C0TEST"))
        message = {"type": "message", "ts": self.next_ts(), "text": args.get("text"), "bot_id": "B0TEST"}
        for part in ("thread_ts", "metadata"):
            if args.get(part):
                message[part] = args[part]
        self.messages[direct(channel)].append(message)
        return {"channel": channel, "ts": message["ts"]}

    def read(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The conversation's messages after `oldest`, oldest first; metadata only when asked for."""
        oldest = float(args.get("oldest") or 0)
        found = [m for m in self.messages[str(args.get("channel"))] if float(m["ts"]) > oldest]
        if str(args.get("include_all_metadata")).lower() in ("1", "true"):
            return found
        return [{k: v for k, v in m.items() if k != "metadata"} for m in found]

    @staticmethod
    def page(args: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
        start, size = int(args.get("cursor") or 0), int(args.get("limit") or 100)
        more = start + size < len(messages)
        return {
            "messages": messages[start : start + size],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + size) if more else ""},
        }

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
        self.release()
        if self.server is not None:
            await self.server.close()


def direct(channel: str) -> str:
    """The bot's DM with a person, for a post to their user id; any other channel as it is."""
    return "D0" + channel[:8] if channel.startswith(("U", "W")) else channel


def record_rate_limit_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds slack_sdk's rate-limit retry waits, recorded instead of slept."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(builtin_async_handlers, "asyncio", SimpleNamespace(sleep=sleep))
    return waits
