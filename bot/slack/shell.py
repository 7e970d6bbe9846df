"""A local console that runs the real Bolt app and handlers, with a client that records instead of
calling Slack: type slash commands, read the replies as text, press buttons by their number."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.jobs.posts import JOBS, job_posts, send_post
from bot.services.oncall import load_view
from bot.slack.app import LOCAL_IDENTITY, create_app
from bot.slack.context import AppContext
from bot.slack.render import Button, render_blocks
from bot.teamfile.schema import Person

HELP = """\
Type what you would type in Slack, e.g. /oncall now, /oncall schedule, /runbook growth, /oncall help.
A number presses the button shown with it. `home` shows your App Home. `run-job handoff|reminders|month-end`
posts what that scheduled job would post now (once: the ledger remembers). `quit` (or Ctrl-D) leaves."""
COMMANDS = ("/oncall", "/runbook", "/incident", "/swap")
Sink = Callable[[str, dict[str, Any]], Awaitable[None]]


class RecordingClient(AsyncWebClient):
    """A Web API client that hands every call to the shell instead of sending it to Slack."""

    def __init__(self, sink: Sink) -> None:
        super().__init__()
        self.sink = sink

    async def api_call(
        self, api_method: str, *, http_verb: str = "POST", **kwargs: Any
    ) -> AsyncSlackResponse:  # type: ignore[override]
        args: dict[str, Any] = {}
        for part in ("params", "data", "json"):
            args.update(kwargs.get(part) or {})
        await self.sink(api_method, args)
        data = {"ok": True, "channel": args.get("channel", "C0LOCAL"), "ts": "1700000000.000100"}
        return AsyncSlackResponse(
            client=self,
            http_verb=http_verb,
            api_url=api_method,
            req_args={},
            data=data,
            headers={},
            status_code=200,
        )


class Shell:
    def __init__(self, ctx: AppContext, person: Person, names: dict[str, str], out: TextIO) -> None:
        self.ctx, self.person, self.names, self.out = ctx, person, names, out
        self.user_id = person.slack_id or f"U{person.id.upper()}"
        self.buttons: list[Button] = []
        self.client = RecordingClient(self.show_call)
        self.app: AsyncApp = create_app(ctx, client=self.client, identity=LOCAL_IDENTITY, verify=False)
        self.app.middleware(self._stay_local)

    async def _stay_local(self, context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
        """Bolt gives each request a fresh Web API client and a response_url sender; keep both here."""

        async def respond(**message: Any) -> None:
            self.show(message.get("blocks") or [], message.get("text", ""))

        context["client"] = self.client
        context["respond"] = respond
        return await next()

    def show(self, blocks: list[dict[str, Any]], text: str = "") -> None:
        rendered = render_blocks(blocks, self.names, first_number=len(self.buttons) + 1) if blocks else None
        if rendered is None:
            print(text, file=self.out)
            return
        self.buttons += rendered.buttons
        print(rendered.text + "\n", file=self.out)

    async def show_call(self, method: str, args: dict[str, Any]) -> None:
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            print(f"[{method} to {args.get('channel', '?')}]", file=self.out)
            self.show(_blocks(args.get("blocks")), args.get("text", ""))
        elif method == "views.publish":
            print("[App Home]", file=self.out)
            self.show(_blocks((args.get("view") or {}).get("blocks")))
        elif method == "views.open":
            title = ((args.get("view") or {}).get("title") or {}).get("text", "")
            print(f"[form: {title}] Forms need Slack; in this shell type the command instead.", file=self.out)

    async def dispatch(self, body: str, content_type: str) -> None:
        request = AsyncBoltRequest(body=body, headers={"content-type": [content_type]})
        response = await self.app.async_dispatch(request)
        if response.body and response.body.startswith("{"):
            answer = json.loads(response.body)
            self.show(answer.get("blocks") or [], answer.get("text", ""))
        elif response.status >= 400:
            print(f"(the app answered {response.status})", file=self.out)

    async def command(self, line: str) -> None:
        command, _, text = line.partition(" ")
        if command not in COMMANDS:
            print(f"Unknown command {command}. Commands: {', '.join(COMMANDS)}.", file=self.out)
            return
        # Slack turns @name into a user mention before the app sees it.
        text = re.sub(r"@([a-z0-9][a-z0-9_.-]*)", lambda m: self._mention(m[1]), text.strip())
        form = {
            "command": command,
            "text": text,
            "user_id": self.user_id,
            "channel_id": "C0LOCAL",
            "team_id": "T0LOCAL",
            "response_url": "local:",
            "trigger_id": "local",
        }
        self.buttons = []
        await self.dispatch(urlencode(form), "application/x-www-form-urlencoded")

    def _mention(self, name: str) -> str:
        slack_id = next((sid for sid, shown in self.names.items() if shown.lower() == name.lower()), None)
        return f"<@{slack_id}|{name}>" if slack_id else f"@{name}"

    async def press(self, number: int) -> None:
        if not 1 <= number <= len(self.buttons):
            print(f"There is no button {number}.", file=self.out)
            return
        button = self.buttons[number - 1]
        payload = {
            "type": "block_actions",
            "user": {"id": self.user_id},
            "team": {"id": "T0LOCAL"},
            "channel": {"id": "C0LOCAL"},
            "response_url": "local:",
            "trigger_id": "local",
            "actions": [
                {
                    "type": "button",
                    "action_id": button.action_id,
                    "block_id": button.block_id,
                    "value": button.value,
                }
            ],
        }
        self.buttons = []
        await self.dispatch(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def home(self) -> None:
        event = {
            "type": "event_callback",
            "team_id": "T0LOCAL",
            "event": {"type": "app_home_opened", "user": self.user_id, "tab": "home"},
        }
        self.buttons = []
        await self.dispatch(json.dumps(event), "application/json")

    async def run_job(self, job: str) -> None:
        if job not in JOBS:
            print(f"Usage: run-job {'|'.join(JOBS)}", file=self.out)
            return
        at = self.ctx.clock()
        async with self.ctx.sessions() as session:
            view = await self.ctx.views.load(session)
            posts = await job_posts(
                session, view=view, job=job, at=at, rotation=None, settings=self.ctx.settings
            )
            await session.commit()
        if not posts:
            print(f"Nothing to post for {job} now.", file=self.out)
        for post in posts:
            outcome = await send_post(self.ctx.sessions, self.client, post, owner="shell", now=at)
            print(f"({post.key}: {outcome})", file=self.out)

    async def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        line = line.strip()
        if line in ("quit", "exit"):
            return False
        if line.startswith("/"):
            await self.command(line)
        elif line.isdigit():
            await self.press(int(line))
        elif line == "home":
            await self.home()
        elif line.startswith("run-job"):
            await self.run_job(line.removeprefix("run-job").strip())
        elif line:
            print(HELP, file=self.out)
        return True


def _blocks(value: Any) -> list[dict[str, Any]]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def run_shell(
    ctx: AppContext, *, as_person: str | None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    async with ctx.sessions() as session:
        view = await load_view(session)
    people = view.file.people
    person = (
        next((p for p in people if p.id == as_person), None)
        if as_person
        else next((p for p in people if p.admin), people[0])
    )
    if person is None:
        raise LookupError(f"no person {as_person!r} in the team (people: {', '.join(p.id for p in people)})")
    names = {p.slack_id: p.name for p in people if p.slack_id}
    shell = Shell(ctx, person, names, stdout)
    interactive = stdin.isatty()
    print(f"oncall-bot shell, as {person.name} ({person.id}). {HELP}\n", file=stdout)
    print(f"{person.id}> /oncall now", file=stdout)
    await shell.handle("/oncall now")
    while True:
        if interactive:
            print(f"{person.id}> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or not await shell.handle(line):
            break
