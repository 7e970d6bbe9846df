"""`/incident` text as a typed request, or what is wrong with it. Pure: no Slack, no store."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.incidents.model import DEFAULT_SEVERITY, RESOLUTION_LIMIT, SEVERITIES, SUMMARY_LIMIT
from bot.runbooks.lookup import Named, leading_name

USAGE = (
    "Usage: `/incident <pipeline> [sev1|sev2|sev3] <summary>` with the pipeline's key or name, "
    "e.g. `/incident growth late data from Kafka` or `/incident Daily Growth Pipeline sev1 numbers late`."
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
    pipeline: str  # as typed: a key, name or alias, perhaps mistyped
    severity: str
    summary: str


Request = OpenForm | Help | ListOpen | Status | Resolve | Declare


def _number(word: str) -> int | None:
    digits = word.removeprefix("#")
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def parse(text: str, pipelines: Sequence[Named]) -> Request | str:
    """The request `text` asks for, or a message saying what is wrong and how to write it.

    A declaration starts with a pipeline's key, name or alias, of one word or several.
    """
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
    return _declaration(words, pipelines)


def _declaration(words: list[str], pipelines: Sequence[Named]) -> Declare | str:
    # The longest run of words naming a pipeline; else the first word, looked up forgiving typos.
    length = leading_name(words, pipelines) or 1
    rest = words[length:]
    if not rest:
        return USAGE
    next_word = rest[0].lower()
    if SEVERITY_LIKE.match(next_word) and next_word not in SEVERITIES:
        return f"The severity is one of sev1, sev2 or sev3 (sev2 when left out), not `{rest[0][:10]}`."
    severity = next_word if next_word in SEVERITIES else DEFAULT_SEVERITY
    summary = " ".join(rest[1:] if next_word in SEVERITIES else rest)
    if not summary:
        return "Say what is wrong after the severity, e.g. `/incident growth sev1 numbers are zero`."
    return Declare(" ".join(words[:length]), severity, summary[:SUMMARY_LIMIT])
