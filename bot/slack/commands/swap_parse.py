"""`/swap` text -> a typed request. Pure: no Slack, no store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.slack.blocks.common import escape
from bot.slack.commands.oncall_parse import MENTION, BadRequest

USAGE = (
    "Usage: `/swap` for the form, `/swap @someone 2026-12-14 [cover] [reason]` (your shift on that "
    "date; `2026-12-14..2026-12-16` for only those days), `/swap list`, `/swap cancel <id>`."
)
MAX_REASON = 200


@dataclass(frozen=True)
class SwapCommand:
    kind: Literal["form", "help", "list", "cancel", "request"]
    swap_id: int | None = None  # cancel
    slack_id: str | None = None  # request: the teammate
    first: date | None = None  # request: the day of my shift, or the first day of the part
    last: date | None = None  # request: the last day of the part, included; None: the whole shift
    cover: bool = False
    reason: str = ""


def parse_swap(text: str) -> SwapCommand | BadRequest:
    words = text.split()
    if not words:
        return SwapCommand("form")
    head, rest = words[0].lower(), words[1:]
    if head in ("help", "list"):
        return BadRequest(f"`/swap {head}` takes nothing after it.") if rest else SwapCommand(head)  # type: ignore[arg-type]
    if head in ("cancel", "reverse"):
        if len(rest) != 1 or not rest[0].lstrip("#").isdigit():
            return BadRequest("Usage: `/swap cancel <id>`, the number `/swap list` shows.")
        return SwapCommand("cancel", swap_id=int(rest[0].lstrip("#")))
    mention = MENTION.match(words[0])
    if mention is None:
        return BadRequest(f"Start with the teammate, e.g. `/swap @bob 2026-12-14`. {USAGE}")
    days = _days(rest[0]) if rest else "Give the date of your shift as YYYY-MM-DD."
    if isinstance(days, str):
        return BadRequest(f"{days} {USAGE}")
    rest = rest[1:]
    cover = bool(rest) and rest[0].lower() == "cover"
    reason = " ".join(rest[1:] if cover else rest)
    if len(reason) > MAX_REASON:
        return BadRequest(f"The reason is at most {MAX_REASON} characters.")
    first, last = days
    return SwapCommand("request", slack_id=mention[1], first=first, last=last, cover=cover, reason=reason)


def _days(word: str) -> tuple[date, date | None] | str:
    """A day, or a range of days both included; else what is wrong with it."""
    first, _, last = word.partition("..")
    try:
        start = date.fromisoformat(first)
        end = date.fromisoformat(last) if last else None
    except ValueError:
        return f"`{escape(word[:30])}` is not a date: give the date of your shift as YYYY-MM-DD."
    if end is not None and end < start:
        return f"The last day {end} comes before the first {start}."
    return start, end
