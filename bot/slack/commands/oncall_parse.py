"""`/oncall` text -> a typed request. Pure: no Slack, no store."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from bot.slack.blocks.common import escape

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
    "`/oncall away list`, `/oncall away cancel <id>`; admins: `/oncall away @someone START END [reason]`."
)
MAX_NOTE = 2000
MAX_HISTORY = 50
MAX_WEEKS = 26
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class OncallRequest:
    kind: Kind
    share: bool = False
    weeks: int = 4
    count: int = 10  # for "history"
    year: int | None = None
    slack_id: str | None = None  # for "person"
    query: str = ""  # for "pipeline"
    reset: bool = False  # for "calendar reset"
    away: Literal["add", "list", "cancel"] = "add"
    first: date | None = None  # for "away": whole days, both included
    last: date | None = None
    absence_id: int | None = None


@dataclass(frozen=True)
class BadRequest:
    """Input that cannot be read; `message` says why and what to type instead."""

    message: str


def closest_subcommand(word: str) -> str | None:
    matches = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def parse_oncall(text: str) -> OncallRequest | BadRequest:
    words = text.split()
    share = any(w.lower() == "share" for w in words)
    words = [w for w in words if w.lower() != "share"]
    if not words:
        return OncallRequest("now", share=share)
    head, rest = words[0].lower(), words[1:]
    if mention := MENTION.match(words[0]):
        return _no_more(rest, "@someone") or OncallRequest("person", share=share, slack_id=mention[1])
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
    if len(rest) > 1 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= MAX_HISTORY:
        return BadRequest(
            f"Usage: `/oncall history [N]`, the latest N changes (default 10, at most {MAX_HISTORY})."
        )
    return OncallRequest("history", share=share, count=int(rest[0]))


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
    if len(rest) > 1 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= MAX_WEEKS:
        return BadRequest(f"Usage: `/oncall schedule [weeks]`, weeks from 1 to {MAX_WEEKS} (default 4).")
    return OncallRequest("schedule", share=share, weeks=int(rest[0]))


def _holidays(rest: list[str], share: bool) -> OncallRequest | BadRequest:
    if not rest:
        return OncallRequest("holidays", share=share)
    if len(rest) > 1 or not rest[0].isdigit() or not 1970 <= int(rest[0]) <= 2200:
        return BadRequest("Usage: `/oncall holidays [year]`, e.g. `/oncall holidays 2027`.")
    return OncallRequest("holidays", share=share, year=int(rest[0]))


def _away(rest: list[str], share: bool) -> OncallRequest | BadRequest:
    if [w.lower() for w in rest] == ["list"]:
        return OncallRequest("away", away="list")
    if len(rest) == 2 and rest[0].lower() == "cancel" and rest[1].lstrip("#").isdigit():
        return OncallRequest("away", away="cancel", absence_id=int(rest[1].lstrip("#")))
    slack_id = None
    if rest and (mention := MENTION.match(rest[0])):
        slack_id, rest = mention[1], rest[1:]
    try:
        first, last = date.fromisoformat(rest[0]), date.fromisoformat(rest[1])
    except (IndexError, ValueError):
        return BadRequest(AWAY_USAGE)
    reason = " ".join(rest[2:])[:200]
    return OncallRequest("away", slack_id=slack_id, first=first, last=last, query=reason)


WITH_ARGUMENTS = {
    "schedule": _schedule,
    "holidays": _holidays,
    "away": _away,
    "history": _history,
    "calendar": _calendar,
}
