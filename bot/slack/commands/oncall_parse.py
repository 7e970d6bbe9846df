"""`/oncall` text -> a typed request. Pure: no Slack, no store."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from bot.messages.common import escape

Kind = Literal[
    "now",
    "next",
    "schedule",
    "me",
    "holidays",
    "calendar",
    "checklist",
    "handoff",
    "away",
    "history",
    "help",
    "person",
    "pipeline",  # what `@someone` and any other word are read as
]
SUBCOMMANDS: tuple[str, ...] = tuple(k for k in get_args(Kind) if k not in ("person", "pipeline"))
AWAY_USAGE = (
    "Usage: `/oncall away 2026-12-21 2026-12-31 [reason]` (dates in your time zone, the last one included), "
    "`/oncall away list`, `/oncall away cancel <id>`; admins: `/oncall away @someone START END [reason]`, "
    "`/oncall away list @someone`, `/oncall away list all`."
)
MAX_NOTE = 2000
MAX_HISTORY = 50
MAX_WEEKS = 26
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
MIN_YEAR, MAX_YEAR = 1970, 2200  # beyond these no schedule question makes sense, and datetimes overflow
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the store
MAX_REASON = 200
_DIGITS = re.compile(r"[0-9]{1,12}", re.ASCII)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@dataclass(frozen=True)
class OncallRequest:
    kind: Kind
    share: bool = False
    weeks: int = 4
    count: int = 10  # for "history"
    year: int | None = None
    slack_id: str | None = None  # for "person" and "away": a mention
    name: str = ""  # for "person" and "away": a teammate typed as plain text, `@bob`
    query: str = ""  # for "pipeline"
    reset: bool = False  # for "calendar reset"
    away: Literal["add", "list", "cancel"] = "add"
    first: date | None = None  # for "away": whole days, both included
    last: date | None = None
    absence_id: int | None = None
    everyone: bool = False  # for "away list all"


@dataclass(frozen=True)
class BadRequest:
    """Input that cannot be read; `message` says why and what to type instead."""

    message: str


def number(word: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number in plain digits within [low, high], else None."""
    if not _DIGITS.fullmatch(word):
        return None
    value = int(word)
    return value if low <= value <= high else None


def record_id(word: str) -> int | None:
    """An id as the lists show it, `12` or `#12`, of a size the store can hold; else None."""
    return number(word.removeprefix("#"))


def day(word: str) -> date | None:
    """A YYYY-MM-DD date between MIN_YEAR and MAX_YEAR, else None."""
    try:
        value = date.fromisoformat(word)
    except ValueError:
        return None
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def closest_subcommand(word: str) -> str | None:
    matches = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def parse_oncall(text: str) -> OncallRequest | BadRequest:
    words = text.split()
    if words and words[0].lower() == "away":  # an absence is never shared, and its reason is free text
        return _away(words[1:])
    share = any(w.lower() == "share" for w in words)
    words = [w for w in words if w.lower() != "share"]
    if not words:
        return OncallRequest("now", share=share)
    head, rest = words[0].lower(), words[1:]
    if mention := MENTION.match(words[0]):
        return _no_more(rest, "@someone") or OncallRequest("person", share=share, slack_id=mention[1])
    if head.startswith("@"):  # typed, not picked from Slack's list: the handler looks the name up
        return _no_more(rest, "@someone") or OncallRequest("person", share=share, name=words[0])
    if head in ("now", "next", "me", "checklist", "help"):
        return _no_more(rest, head) or OncallRequest(head, share=share)  # type: ignore[arg-type]
    if head == "handoff":
        return _handoff(text)
    if parse := WITH_ARGUMENTS.get(head):
        return parse(rest, share)
    # Anything else may name a pipeline; the handler decides, with the closest sub-command as a hint.
    return OncallRequest("pipeline", share=share, query=" ".join(words)[:200])


def _handoff(text: str) -> OncallRequest | BadRequest:
    # The notes are free text: take them as typed, after the first word.
    note = text.strip()[len("handoff") :].strip() if text.lower().lstrip().startswith("handoff") else ""
    if not note or len(note) > MAX_NOTE:
        return BadRequest(
            f"Usage: `/oncall handoff <notes for the next shift>`, at most {MAX_NOTE} characters."
        )
    return OncallRequest("handoff", query=note)


def _history(rest: list[str], share: bool) -> OncallRequest | BadRequest:
    if not rest:
        return OncallRequest("history", share=share)
    count = number(rest[0], high=MAX_HISTORY) if len(rest) == 1 else None
    if count is None:
        return BadRequest(
            f"Usage: `/oncall history [N]`, the latest N changes (default 10, at most {MAX_HISTORY})."
        )
    return OncallRequest("history", share=share, count=count)


def _calendar(rest: list[str], share: bool) -> OncallRequest | BadRequest:
    if rest and [w.lower() for w in rest] != ["reset"]:
        return BadRequest(
            "Usage: `/oncall calendar` for your feed links, `/oncall calendar reset` to revoke them."
        )
    return OncallRequest("calendar", share=False, reset=bool(rest))  # feed links are never shared


def _no_more(rest: list[str], name: str) -> BadRequest | None:
    if rest:
        return BadRequest(f"`/oncall {name}` takes nothing after it (got `{escape(' '.join(rest)[:50])}`).")
    return None


def _schedule(rest: list[str], share: bool) -> OncallRequest | BadRequest:
    if not rest:
        return OncallRequest("schedule", share=share)
    weeks = number(rest[0], high=MAX_WEEKS) if len(rest) == 1 else None
    if weeks is None:
        return BadRequest(f"Usage: `/oncall schedule [weeks]`, weeks from 1 to {MAX_WEEKS} (default 4).")
    return OncallRequest("schedule", share=share, weeks=weeks)


def _holidays(rest: list[str], share: bool) -> OncallRequest | BadRequest:
    if not rest:
        return OncallRequest("holidays", share=share)
    year = number(rest[0], MIN_YEAR, MAX_YEAR) if len(rest) == 1 else None
    if year is None:
        return BadRequest(
            f"Usage: `/oncall holidays [year]`, a year from {MIN_YEAR} to {MAX_YEAR}, e.g. "
            "`/oncall holidays 2027`."
        )
    return OncallRequest("holidays", share=share, year=year)


def _away(rest: list[str]) -> OncallRequest | BadRequest:
    if rest and rest[0].lower() == "list":
        return _away_list(rest[1:])
    if rest and rest[0].lower() == "cancel":
        absence_id = record_id(rest[1]) if len(rest) == 2 else None
        if absence_id is None:
            return BadRequest("Usage: `/oncall away cancel <id>`, the number `/oncall away list` shows.")
        return OncallRequest("away", away="cancel", absence_id=absence_id)
    slack_id, name = None, ""
    if rest and (mention := MENTION.match(rest[0])):
        slack_id, rest = mention[1], rest[1:]
    elif rest and rest[0].startswith("@"):
        name, rest = rest[0], rest[1:]
    if len(rest) < 2:
        return BadRequest(f"Give the first and the last day away. {AWAY_USAGE}")
    first, last = day(rest[0]), day(rest[1])
    if first is None or last is None:
        return BadRequest(f"{not_a_date(rest[0] if first is None else rest[1])} {AWAY_USAGE}")
    reason = " ".join(rest[2:])
    if len(reason) > MAX_REASON:
        return BadRequest(f"The reason is at most {MAX_REASON} characters.")
    return OncallRequest("away", slack_id=slack_id, name=name, first=first, last=last, query=reason)


def not_a_date(word: str) -> str:
    """Why `word` is not a date: a day the calendar lacks (2026-02-30), or not written YYYY-MM-DD."""
    shown = escape(word[:30])
    if _ISO_DAY.fullmatch(word) and MIN_YEAR <= int(word[:4]) <= MAX_YEAR:
        return f"`{shown}` is not a day of the calendar."
    return f"`{shown}` is not a date: give it as YYYY-MM-DD, in the years {MIN_YEAR} to {MAX_YEAR}."


def _away_list(rest: list[str]) -> OncallRequest | BadRequest:
    if not rest:
        return OncallRequest("away", away="list")
    if len(rest) == 1 and rest[0].lower() == "all":
        return OncallRequest("away", away="list", everyone=True)
    if len(rest) == 1 and (mention := MENTION.match(rest[0])):
        return OncallRequest("away", away="list", slack_id=mention[1])
    return BadRequest(
        "Usage: `/oncall away list` for yours; admins: `/oncall away list @someone`, `/oncall away list all`."
    )


WITH_ARGUMENTS = {
    "schedule": _schedule,
    "holidays": _holidays,
    "history": _history,
    "calendar": _calendar,
}
