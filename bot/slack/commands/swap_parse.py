"""`/swap` text -> a typed request. Pure: no Slack, no store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.messages.common import escape
from bot.slack.commands.oncall_parse import (
    MAX_REASON,
    MAX_YEAR,
    MENTION,
    MIN_YEAR,
    BadRequest,
    day,
    record_id,
)

USAGE = (
    "Usage: `/swap` for the form, `/swap @someone 2026-12-14 [cover] [reason]` (your shift on that "
    "date; `2026-12-14..2026-12-16` for only those days, `2026-12-14T09:00..2026-12-14T18:00` for only "
    "those hours, in your time zone), `/swap list`, `/swap cancel <id>`."
)
_FORMAT = f"give it as YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a time, in the years {MIN_YEAR} to {MAX_YEAR}."
CANCEL_USAGE = "Usage: `/swap cancel <id>`, the number `/swap list` shows."
Kind = Literal["form", "help", "list", "cancel", "request"]


@dataclass(frozen=True)
class SwapCommand:
    kind: Kind
    swap_id: int | None = None  # cancel
    everyone: bool = False  # list: everyone's requests (admins)
    slack_id: str | None = None  # request: the teammate, mentioned
    name: str = ""  # request: the teammate typed as plain text (`@bob`, `bob`), looked up by the handler
    # request: a stretch of the requester's wall clock, [start, end); dates stand for whole days
    when: tuple[datetime, datetime] | None = None
    whole: bool = True  # request: the whole shift holding most of `when`, or only `when` of it
    cover: bool = False
    reason: str = ""


def parse_swap(text: str) -> SwapCommand | BadRequest:
    words = text.split()
    if not words:
        return SwapCommand("form")
    head, rest = words[0].lower(), words[1:]
    if head == "help":
        return BadRequest("`/swap help` takes nothing after it.") if rest else SwapCommand("help")
    if head == "list":
        return _list(rest)
    if head in ("cancel", "reverse"):
        swap_id = record_id(rest[0]) if len(rest) == 1 else None
        return BadRequest(CANCEL_USAGE) if swap_id is None else SwapCommand("cancel", swap_id=swap_id)
    mention = MENTION.match(words[0])
    if mention is None and words[0][:4].isdigit():  # a date where the teammate should be
        return BadRequest(f"Start with the teammate, e.g. `/swap @bob 2026-12-14`. {USAGE}")
    when = _when(rest[0]) if rest else "Give the date of your shift as YYYY-MM-DD."
    if isinstance(when, str):
        return BadRequest(f"{when} {USAGE}")
    rest = rest[1:]
    cover = bool(rest) and rest[0].lower() == "cover"
    reason = " ".join(rest[1:] if cover else rest)
    if len(reason) > MAX_REASON:
        return BadRequest(f"The reason is at most {MAX_REASON} characters.")
    span, whole = when
    slack_id, name = (mention[1], "") if mention else (None, words[0])
    return SwapCommand(
        "request", slack_id=slack_id, name=name, when=span, whole=whole, cover=cover, reason=reason
    )


def _list(rest: list[str]) -> SwapCommand | BadRequest:
    if not rest:
        return SwapCommand("list")
    if [w.lower() for w in rest] == ["all"]:
        return SwapCommand("list", everyone=True)
    return BadRequest("Usage: `/swap list` for yours, `/swap list all` (admins) for everyone's.")


def _when(word: str) -> tuple[tuple[datetime, datetime], bool] | str:
    """A day (the shift holding it, whole), or a stretch `A..B` (only that part); else what is wrong."""
    first, dots, last = word.partition("..")
    if not dots:
        found = day(word)
        if found is None:
            return f"`{escape(word[:30])}` is not a date: {_FORMAT}"
        return (_midnight(found), _midnight(found + timedelta(days=1))), True
    start, end = _instant(first, end=False), _instant(last, end=True)
    if start is None or end is None:
        bad = first if start is None else last
        return f"`{escape(bad[:30])}` is not a date or a time: {_FORMAT}"
    if end <= start:
        return f"The end {escape(last[:30])} comes before the start {escape(first[:30])}."
    return (start, end), False


def _midnight(value: date) -> datetime:
    return datetime.combine(value, time())


def _instant(word: str, *, end: bool) -> datetime | None:
    """A date (its start, or as an end the midnight after it) or a wall-clock date and time."""
    if "T" not in word.upper():
        found = day(word)
        return None if found is None else _midnight(found + timedelta(days=1) if end else found)
    try:
        value = datetime.fromisoformat(word)
    except ValueError:
        return None
    if value.tzinfo is not None or not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value
