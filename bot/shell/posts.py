"""What the local shell shows: each message headed with who gets it, and the recent messages with
buttons kept by number, so they can be shown again and pressed by whoever is acting later."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

HERE = "C0LOCAL"  # the channel the shell's commands are typed in
KEPT = 10  # messages with buttons that `posts` lists

Kind = Literal["message", "ephemeral", "home"]


@dataclass
class Message:
    channel: str  # a channel, or a person's Slack id for a direct message
    ts: str
    blocks: list[dict[str, Any]]
    text: str = ""
    kind: Kind = "message"
    seen_by: str | None = None  # the one person who sees it (ephemeral, App Home); a DM is its person's
    in_thread: bool = False
    number: int = field(default=0, compare=False)  # its number in `posts`, once it has buttons

    @property
    def reader(self) -> str | None:
        """The only person who can see and press it; None when the whole channel can."""
        return self.channel if is_person(self.channel) else self.seen_by


def is_person(channel: str) -> bool:
    return re.fullmatch(r"[UW][A-Z0-9]+", channel) is not None


def _place(channel: str) -> str:
    return "this channel" if channel == HERE else channel


def audience(message: Message, *, me: str, names: Mapping[str, str]) -> str:
    """Who gets the message, as the person acting now reads it: "DM to Bob", "#data-oncall", ..."""

    def who(user: str | None) -> str:
        return "you" if user == me else names.get(user or "", user or "someone")

    match message.kind:
        case "home":
            return "your App Home" if message.seen_by == me else f"App Home of {who(message.seen_by)}"
        case "ephemeral":
            sees = f"only {who(message.seen_by)} {'see' if message.seen_by == me else 'sees'} this"
            return sees if message.channel == HERE else f"{_place(message.channel)}, {sees}"
    if is_person(message.channel):
        return f"DM to {who(message.channel)}"
    if message.channel == HERE:
        return "this channel, everyone sees this"
    return _place(message.channel) + (", in the thread" if message.in_thread else "")


def heading(message: Message, *, me: str, names: Mapping[str, str], updated: bool = False) -> str:
    where = audience(message, me=me, names=names)
    return f"↻ {where} (updated):" if updated else f"→ {where}:"


class Posts:
    """The latest messages with buttons, each numbered once for the whole session."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], Message] = {}
        self._last = 0

    def get(self, channel: str, ts: str) -> Message | None:
        return self._kept.get((channel, ts))

    def keep(self, message: Message, *, has_buttons: bool) -> None:
        """Remember it while it has buttons; an update that removed them forgets it."""
        key = (message.channel, message.ts)
        if not has_buttons:
            self._kept.pop(key, None)
            return
        if not message.number:
            self._last += 1
            message.number = self._last
        self._kept[key] = message
        for old in self.latest()[:-KEPT]:
            del self._kept[(old.channel, old.ts)]

    def latest(self) -> list[Message]:
        return sorted(self._kept.values(), key=lambda m: m.number)

    def numbered(self, number: int) -> Message | None:
        return next((m for m in self._kept.values() if m.number == number), None)
