"""The output side of the local shell: every message the app sends, printed with who gets it; the
buttons they carry, numbered to be pressed; and the forms opened, waiting to be filled in."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from slack_bolt.async_app import AsyncAck
from slack_bolt.response import BoltResponse

from bot.shell.client import fresh_id, parsed
from bot.shell.posts import HERE, Kind, Message, Posts, heading
from bot.shell.terminal import Button, render_blocks

View = dict[str, Any]


class ShownAck(AsyncAck):
    """Shows a command's answer the moment the handler acknowledges, before what it sends after."""

    def __init__(self, show: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self.show = show

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = await super().__call__(*args, **kwargs)
        if message := message_in(response.body):
            self.show(message)
        return response


def message_in(body: Any) -> dict[str, Any]:
    """The message an acknowledgement or response carries; empty when it carries none."""
    answer = json.loads(body) if isinstance(body, str) and body.startswith("{") else {}
    return answer if "text" in answer or "blocks" in answer else {}


class Screen:
    def __init__(self, out: TextIO, names: Mapping[str, str]) -> None:
        self.out, self.names = out, names
        self.me = ""  # the Slack id of the person acting: messages to them say "you"
        self.buttons: list[tuple[Button, Message]] = []  # what a typed number presses
        self.posts = Posts()
        self.forms: list[View] = []  # the open views, the top one last

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def show(self, message: Message, *, updated: bool = False) -> None:
        self.say(heading(message, me=self.me, names=self.names, updated=updated))
        rendered = render_blocks(message.blocks, self.names, first_number=len(self.buttons) + 1)
        self.buttons += [(button, message) for button in rendered.buttons]
        self.posts.keep(message, has_buttons=bool(rendered.buttons))
        self.say((rendered.text or message.text) + "\n")

    def reply(self, answer: dict[str, Any]) -> None:
        """The answer to what the person typed or pressed: only they see it, unless it is in_channel."""
        kind: Kind = "message" if answer.get("response_type") == "in_channel" else "ephemeral"
        blocks, text = parsed(answer.get("blocks")) or [], str(answer.get("text", ""))
        self.show(Message(HERE, fresh_id("R"), blocks, text, kind=kind, seen_by=self.me))

    def _update(self, channel: str, ts: str, blocks: list[dict[str, Any]], text: str) -> None:
        message = self.posts.get(channel, ts) or Message(channel, ts, blocks, text)
        message.blocks, message.text = blocks, text
        self.show(message, updated=True)

    def _form(self, method: str, args: dict[str, Any], view: View) -> None:
        if method != "views.update":
            self.forms.append(view)
            return
        for n, shown in enumerate(self.forms):
            if shown["id"] == args.get("view_id"):
                self.forms[n] = view

    async def on_api_call(self, method: str, args: dict[str, Any], answer: dict[str, Any]) -> None:
        """What the app asked Slack to do, as the people concerned would see it."""
        blocks, text = parsed(args.get("blocks")) or [], str(args.get("text", ""))
        channel, ts = str(args.get("channel", "")), str(answer.get("ts", ""))
        match method:
            case "chat.postMessage":
                self.show(Message(channel, ts, blocks, text, in_thread=bool(args.get("thread_ts"))))
            case "chat.postEphemeral":
                self.show(Message(channel, ts, blocks, text, kind="ephemeral", seen_by=args.get("user")))
            case "chat.update":
                self._update(channel, ts, blocks, text)
            case "views.publish":
                home = answer["view"].get("blocks", [])
                self.show(Message("", fresh_id("H"), home, kind="home", seen_by=args.get("user_id")))
            case "views.open" | "views.push" | "views.update":
                self._form(method, args, answer["view"])
            case "usergroups.users.update":
                members = [self.names.get(u, u) for u in str(args.get("users", "")).split(",") if u]
                self.say(f"→ user group {args.get('usergroup')} now: {', '.join(members)}\n")
