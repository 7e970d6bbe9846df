"""`/incident` text as a typed request, or what is wrong with it. Pure: no Slack, no store."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.incidents.model import DEFAULT_SEVERITY, RESOLUTION_LIMIT, SEVERITIES, SUMMARY_LIMIT

USAGE = (
    "Usage: `/incident <pipeline> [sev1|sev2|sev3] <summary>`, e.g. `/incident growth late data from Kafka`."
)
STATUS_USAGE = "Usage: `/incident status <id>` with the number of an incident, e.g. `/incident status 3`."
SEVERITY_LIKE = re.compile(r"^sev\d+$", re.IGNORECASE)
RESOLVE_USAGE = "Usage: `/incident resolve <id> <resolution>`, e.g. `/incident resolve 3 reran the job`."


@dataclass(frozen=True)
class OpenForm:
    """`/incident` alone: the declaration modal."""


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class ListOpen:
    pass


@dataclass(frozen=True)
class Status:
    incident: int


@dataclass(frozen=True)
class Resolve:
    incident: int
    resolution: str


@dataclass(frozen=True)
class Declare:
    pipeline: str
    severity: str
    summary: str


Request = OpenForm | Help | ListOpen | Status | Resolve | Declare


def _number(word: str) -> int | None:
    digits = word.removeprefix("#")
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def parse(text: str) -> Request | str:
    """The request `text` asks for, or a message saying what is wrong and how to write it."""
    words = text.split()
    if not words:
        return OpenForm()
    first = words[0].lower()
    if first == "help":
        return Help()
    if first == "list":
        return ListOpen()
    if first == "status":
        number = _number(words[1]) if len(words) == 2 else None
        return STATUS_USAGE if number is None else Status(number)
    if first == "resolve":
        number = _number(words[1]) if len(words) >= 2 else None
        resolution = " ".join(words[2:])
        if number is None or not resolution:
            return RESOLVE_USAGE
        return Resolve(number, resolution[:RESOLUTION_LIMIT])
    return _declaration(words)


def _declaration(words: list[str]) -> Declare | str:
    if len(words) < 2:
        return USAGE
    if SEVERITY_LIKE.match(words[1]) and words[1].lower() not in SEVERITIES:
        return f"The severity is one of sev1, sev2 or sev3 (sev2 when left out), not `{words[1][:10]}`."
    has_severity = words[1].lower() in SEVERITIES
    severity = words[1].lower() if has_severity else DEFAULT_SEVERITY
    summary = " ".join(words[2:] if has_severity else words[1:])
    if not summary:
        return "Say what is wrong after the severity, e.g. `/incident growth sev1 numbers are zero`."
    return Declare(words[0], severity, summary[:SUMMARY_LIMIT])
