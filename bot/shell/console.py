"""A local console that runs the real Bolt app and handlers, with a client that records instead of
calling Slack: type slash commands, read each message as text with who gets it, press buttons by
number, fill in forms field by field, and switch person to answer as someone else."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.context import AppContext
from bot.core.team import Person
from bot.delivery.scheduled import JOBS, job_posts, send_post
from bot.features.oncall.views import load_view
from bot.messages.common import encoded
from bot.shell.client import RecordingClient, fresh_id
from bot.shell.clock import ShellClock
from bot.shell.directory import find_by_email, stand_in_id
from bot.shell.forms import CANCEL, CLEAR, Filler, find_person
from bot.shell.modal import FormDesk
from bot.shell.posts import HERE, audience
from bot.shell.screen import Screen, ShownAck, message_in
from bot.shell.sweeps import SWEEPS, run_sweep
from bot.shell.terminal import Button, render_blocks
from bot.slack.app import LOCAL_IDENTITY, create_app

HELP = f"""\
Type what you would type in Slack: /oncall now, /oncall schedule, /runbook growth, /swap, /incident,
/oncall away 2026-12-21 2026-12-23, and `help` after any of them (/swap help). Also:
  N            press button N of the messages just shown (or tick checkbox N)
  as PERSON    act as someone else of the team, by id or name (as bob); the buttons shown stay pressable
  posts        the recent messages with buttons; `show N` shows post N again, to press its buttons
  home         your App Home
  run-job JOB  what a scheduled job posts now ({"|".join(JOBS)}); only once, as the ledger says;
               or what the minute sweep does now: `run-job incidents` escalates the unacknowledged
               incidents that are due, `run-job swaps` expires the swap requests whose first shift
               started, `run-job volunteers` closes the calls for a volunteer past their deadline,
               `run-job heartbeats` opens incidents for pipelines late past their heartbeat's grace
  clock TIME   the shell's time: `clock 2026-12-24T08:55`, `clock +15m` (or h, d), `clock now`
  help         this text;  quit (or Ctrl-D) leaves
Forms (/swap, /incident, Resolve) ask for each field in turn: type a line, or pick by number; an empty
line keeps what is shown or skips an optional field, `{CLEAR}` empties one, `{CANCEL}` closes the form.
Each message says who gets it: "→ DM to Bob:", "→ #data-oncall:", "→ only you see this:"."""
COMMANDS = ("/oncall", "/runbook", "/incident", "/swap")
FORM = "application/x-www-form-urlencoded"


class Shell:
    def __init__(
        self, ctx: AppContext, people: Sequence[Person], person: Person, zone: str, inp: TextIO, out: TextIO
    ) -> None:
        """Acting as `person`; `zone` is the team's, for people with none of their own."""
        self.clock = ShellClock(ctx.clock, zone)
        self.ctx = replace(ctx, clock=self.clock)  # the handlers read the time the user set
        self.people, self.zone, self.inp = people, zone, inp
        self.screen = Screen(out, {p.slack_id: p.name for p in people if p.slack_id})
        self.become(person)
        self.client = RecordingClient(self.screen.on_api_call)
        self.app: AsyncApp = create_app(self.ctx, client=self.client, identity=LOCAL_IDENTITY, verify=False)
        self.app.middleware(self._stay_local)
        self.desk = FormDesk(self.screen, self.read, self.submit)

    @property
    def user_id(self) -> str:
        return self.person.slack_id or stand_in_id(self.person.id)

    @property
    def prompt(self) -> str:
        return f"{self.person.id}> "

    def become(self, person: Person) -> None:
        self.person = person
        self.screen.me = self.user_id  # messages to them now say "you"

    @property
    def filler(self) -> Filler:
        return Filler(self.people, self.person.timezone or self.zone)

    def say(self, text: str) -> None:
        self.screen.say(text)

    def read(self, prompt: str) -> str | None:
        """One typed line, None at the end of the input; the prompt only on a terminal."""
        if self.inp.isatty():
            print(prompt, end="", file=self.screen.out, flush=True)
        line = self.inp.readline()
        return line.rstrip("\n") if line else None

    async def _stay_local(self, context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
        """Bolt gives each request a fresh client, ack and response_url sender; the shell's are used."""

        async def respond(**message: Any) -> None:
            self.screen.reply(message)

        context["client"] = self.client
        context["respond"] = respond
        context["ack"] = ShownAck(self.screen.reply)
        return await next()

    async def dispatch(self, body: str, content_type: str = FORM) -> dict[str, Any]:
        """Send one request through the app; the app's JSON answer (e.g. a form's response_action)."""
        request = AsyncBoltRequest(body=body, headers={"content-type": [content_type]})
        response = await self.app.async_dispatch(request)
        if response.status >= 400:
            self.say(f"(the app answered {response.status})")
        answer = json.loads(response.body) if response.body.startswith("{") else {}
        if message_in(response.body) and not request.context.ack.response:  # the apology after a failure
            self.screen.reply(answer)
        return answer

    async def submit(self, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        submitted = {**view, "state": {"values": values}, "hash": "local"}
        return await self.dispatch(self._payload("view_submission", view=submitted, response_urls=[]))

    async def fill_forms(self) -> None:
        await self.desk.fill_all(self.filler)

    def _payload(self, kind: str, **fields: Any) -> str:
        payload = {
            "type": kind,
            "user": {"id": self.user_id, "team_id": "T0LOCAL"},
            "team": {"id": "T0LOCAL"},
            "api_app_id": "A0LOCAL",
            "trigger_id": fresh_id("local."),  # a fresh one each time, as Slack does
            **fields,
        }
        return urlencode({"payload": json.dumps(payload)})

    async def command(self, line: str) -> None:
        command, _, text = line.partition(" ")
        if command not in COMMANDS:
            self.say(f"Unknown command {command}. Commands: {', '.join(COMMANDS)}; `help` for the rest.")
            return
        # Slack encodes & < > and turns @name into a user mention before the app sees it.
        text = re.sub(r"@([a-z0-9][a-z0-9_.-]*)", lambda m: self._mention(m[1]), encoded(text.strip()))
        form = {
            "command": command,
            "text": text,
            "user_id": self.user_id,
            "channel_id": HERE,
            "team_id": "T0LOCAL",
            "response_url": "local:",
            "trigger_id": fresh_id("local."),
        }
        self.screen.buttons = []
        await self.dispatch(urlencode(form))

    def _mention(self, name: str) -> str:
        found = find_person(self.people, name)
        return f"<@{found.slack_id}|{name}>" if found and found.slack_id else f"@{name}"

    def _refusal(self, number: int) -> str | None:
        """Why button `number` cannot be pressed now, as it could not be in Slack."""
        if not 1 <= number <= len(self.screen.buttons):
            return f"There is no button {number}. `posts` lists the messages with buttons."
        _, message = self.screen.buttons[number - 1]
        if message.reader and message.reader != self.user_id:
            owner = next((p for p in self.people if p.slack_id == message.reader), None)
            name = owner.name if owner else message.reader
            return f"Only {name} sees that message: `as {owner.id if owner else name}` first."
        return None

    async def press(self, number: int) -> None:
        if refusal := self._refusal(number):
            self.say(refusal)
            return
        button, message = self.screen.buttons[number - 1]
        container = {
            "type": "message",
            "message_ts": message.ts,
            "channel_id": message.channel,
            "is_ephemeral": message.kind == "ephemeral",
        }
        clicked = {"type": "message", "ts": message.ts, "text": message.text, "blocks": message.blocks}
        self.screen.buttons = []
        await self.dispatch(
            self._payload(
                "block_actions",
                channel={"id": message.channel},
                container=container,
                response_url="local:",
                actions=[{**button.action, "action_ts": f"{time.time():.6f}"}],
                # Slack sends the clicked message along, except an ephemeral one.
                **({"message": clicked} if message.kind == "message" else {}),
            )
        )

    async def home(self) -> None:
        event = {
            "type": "event_callback",
            "team_id": "T0LOCAL",
            "event": {"type": "app_home_opened", "user": self.user_id, "tab": "home"},
        }
        self.screen.buttons = []
        await self.dispatch(json.dumps(event), "application/json")

    async def run_job(self, job: str) -> None:
        if job not in (*JOBS, *SWEEPS):
            self.say(f"Usage: run-job {'|'.join((*JOBS, *SWEEPS))}")
            return
        at = self.ctx.clock()
        self.screen.buttons = []
        if job in SWEEPS:
            self.say(await run_sweep(self.ctx, self.client, job, at))
            return
        async with self.ctx.sessions() as session:
            view = await self.ctx.views.load(session)
            posts = await job_posts(
                session, view=view, job=job, at=at, rotation=None, settings=self.ctx.settings, keep=True
            )
        if not posts:
            self.say(f"Nothing to post for {job} now.")
        for post in posts:
            outcome = await send_post(self.ctx.sessions, self.client, post, owner="shell", now=at)
            self.say(f"({post.key}: {outcome})")

    def act_as(self, typed: str) -> None:
        usage = f"Usage: as PERSON, one of {', '.join(p.id for p in self.people)}."
        person = find_person(self.people, typed) if typed else None
        if person is None:
            self.say(f"No one called {typed!r} in the team. {usage}" if typed else usage)
            return
        self.become(person)
        self.say(
            f"Now acting as {person.name} ({person.id}). The buttons shown before can still be pressed by "
            "number; `posts` lists the recent messages with buttons."
        )

    def list_posts(self) -> None:
        latest = self.screen.posts.latest()
        if not latest:
            self.say("No message with buttons yet.")
            return
        self.say("Recent messages with buttons; `show N` shows one again, to press its buttons:")
        for message in latest:
            rendered = render_blocks(message.blocks, self.screen.names)
            first = (message.text or rendered.text).split("\n")[0][:60]
            where = audience(message, me=self.user_id, names=self.screen.names)
            self.say(f"  {message.number}. {where}: {first} [{_controls(rendered.buttons)}]")

    def show_post(self, number: str) -> None:
        message = self.screen.posts.numbered(int(number)) if number.isdigit() else None
        if message is None:
            self.say(f"There is no post {number or '(none given)'}. Usage: show N, a number from `posts`.")
            return
        self.screen.buttons = []
        self.screen.show(message)

    async def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        line = line.strip()
        word, _, rest = line.partition(" ")
        if line in ("quit", "exit"):
            return False
        if line.isdigit():
            await self.press(int(line))
        elif word == "as":
            self.act_as(rest.strip())
        elif word == "posts":
            self.list_posts()
        elif word == "show":
            self.show_post(rest.strip())
        elif line in ("help", "?"):
            self.say(HELP)
        elif line:
            await self._send(line, word, rest.strip())
        await self.fill_forms()
        return True

    async def _send(self, line: str, word: str, rest: str) -> None:
        """What the app answers: a slash command, the App Home, a scheduled job."""
        if line.startswith("/"):
            await self.command(line)
        elif word == "home":
            await self.home()
        elif word == "run-job":
            await self.run_job(rest)
        elif word == "clock":
            self.say(self.clock.set(rest))
        else:
            self.say(f"Not understood: {line!r}. Type `help` to see what works here, e.g. /oncall now.")


def _controls(buttons: Sequence[Button]) -> str:
    """A message's buttons by label, and how many boxes it has to tick."""
    boxes = sum(1 for b in buttons if b.action["type"] == "checkboxes")
    labels = [b.label for b in buttons if b.action["type"] != "checkboxes"]
    return ", ".join(labels + ([f"{boxes} boxes to tick"] if boxes else []))


async def run_shell(
    ctx: AppContext,
    *,
    as_person: str | None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stand_in_emails: bool = False,
) -> None:
    """The console, as `as_person` (an id or name; default: an admin) until the input ends.

    With `stand_in_emails` (a scratch store only: the ids are made up) the people the team file gives
    only an email are found under a stand-in id, as `serve` finds them in Slack.
    """
    found = await find_by_email(ctx, now=ctx.clock()) if stand_in_emails else []
    async with ctx.sessions() as session:
        view = await load_view(session)
    people = view.file.people
    person = find_person(people, as_person) if as_person else next((p for p in people if p.admin), people[0])
    if person is None:
        raise LookupError(f"no person {as_person!r} in the team (people: {', '.join(p.id for p in people)})")
    shell = Shell(ctx, people, person, view.file.timezone, stdin, stdout)
    if found:
        names = ", ".join(p.name for p in found)
        shell.say(f"Found by email (standing in for Slack's lookup): {names}.")
    shell.say(f"oncall-bot shell, as {person.name} ({person.id}).\n{HELP}\n")
    shell.say(f"{shell.prompt}/oncall now")
    await shell.handle("/oncall now")
    while (line := shell.read(shell.prompt)) is not None and await shell.handle(line):
        pass
