"""`/incident` text as a typed request, or what is wrong with it. Pure: no Slack, no store."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.incidents.model import DEFAULT_SEVERITY, RESOLUTION_LIMIT, SEVERITIES, SUMMARY_LIMIT
from bot.core.runbooks.lookup import Named, find, leading_name

USAGE = (
    "Usage: `/incident <pipeline> [sev1|sev2|sev3] <summary>` with the pipeline's key or name (the "
    "severity may come first), "
    "e.g. `/incident growth late data from Kafka` or `/incident Daily Growth Pipeline sev1 numbers late`."
)
STATUS_USAGE = "Usage: `/incident status <id>` with the number of an incident, e.g. `/incident status 3`."
SEVERITY_LIKE = re.compile(r"^sev\d+$", re.IGNORECASE)
RESOLVE_USAGE = "Usage: `/incident resolve <id> <resolution>`, e.g. `/incident resolve 3 reran the job`."
GUESS_WORDS = 12  # a pipeline named this early in the text is offered as the one meant


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
    pipeline: str  # the key of the pipeline named exactly, by its key, name or an alias
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
    named = leading_name(words, pipelines)  # the longest run of words naming a pipeline exactly
    if named is None and len(words) > 1 and SEVERITY_LIKE.match(words[0]):
        # Severity first, `/incident sev1 growth broken`: the same when a pipeline follows it.
        found = leading_name(words[1:], pipelines)
        if found is not None:
            pipeline, length = found
            return _declared(pipeline.key, [words[0], *words[1 + length :]])
    if named is None:
        return _unknown(words, pipelines)
    pipeline, length = named
    return _declared(pipeline.key, words[length:])


def _declared(pipeline: str, rest: list[str]) -> Declare | str:
    """The declaration of `pipeline` from what follows its name: [severity] summary."""
    if not rest:
        return USAGE
    next_word = rest[0].lower()
    if SEVERITY_LIKE.match(next_word) and next_word not in SEVERITIES:
        return f"The severity is one of sev1, sev2 or sev3 (sev2 when left out), not `{rest[0][:10]}`."
    severity = next_word if next_word in SEVERITIES else DEFAULT_SEVERITY
    summary = " ".join(rest[1:] if next_word in SEVERITIES else rest)
    if not summary:
        return "Say what is wrong after the severity, e.g. `/incident growth sev1 numbers are zero`."
    if len(summary) > SUMMARY_LIMIT:
        return (
            f"The summary is at most {SUMMARY_LIMIT} characters (this one has {len(summary)}): keep "
            "it to what broke, and add the details in the incident's thread."
        )
    return Declare(pipeline, severity, summary)


def _unknown(words: list[str], pipelines: Sequence[Named]) -> str:
    """No declaration on a guess, which would page the wrong owners: the pipelines named later in the
    text, or close to its first word, are offered instead."""
    later = [leading_name(words[n:], pipelines) for n in range(1, min(len(words), GUESS_WORDS))]
    near = find(words[0], pipelines)
    meant = [*(found[0] for found in later if found), *([near.match] if near.match else near.candidates)]
    keys = [f"`{key}`" for key in dict.fromkeys(e.key for e in meant)][:3]
    every = ", ".join(f"`{p.key}`" for p in pipelines)
    offer = f"Did you mean {_either(keys)}?" if keys else f"The pipelines are {every}."
    return f"No pipeline is called `{words[0][:60]}`. {offer} {USAGE}"


def _either(options: list[str]) -> str:
    """`a`, `b` or `c`."""
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
