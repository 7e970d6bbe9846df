"""Finding a pipeline by what someone typed: key, name or alias, any case; `find` forgives typos."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, takewhile

from rapidfuzz import fuzz, process

MAX_QUERY = 200  # longer than any name: not a pipeline, and not worth scoring
MATCH = 80  # a score this high, clearly ahead of the rest, is the pipeline meant
CLOSE = 65  # scores this high are offered as candidates
LEAD = 8


@dataclass(frozen=True)
class Named:
    key: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LookupResult:
    match: Named | None
    candidates: list[Named]


def normal(text: str) -> str:
    """What counts when comparing names: lowercase words, without punctuation or the word "pipeline"."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(w for w in words if w != "pipeline")


def _by_name(entries: Sequence[Named]) -> dict[str, Named]:
    """Every key, name and alias as `normal` compares them -> its entry (the first one, if shared)."""
    names: dict[str, Named] = {}
    for entry in entries:
        for name in (entry.key, entry.name, *entry.aliases):
            names.setdefault(normal(name), entry)
    return names


def leading_name(words: Sequence[str], entries: Sequence[Named]) -> tuple[Named, int] | None:
    """The entry the first `words` name exactly, and how many words name it (the longest such run);
    None when they name none."""
    names = _by_name(entries)
    runs = accumulate(words, lambda run, word: f"{run} {word}")  # "a", "a b", "a b c", ...
    fitting = takewhile(lambda run: len(run) <= MAX_QUERY, runs)  # a longer run names nothing
    found = [(names[normal(run)], n) for n, run in enumerate(fitting, start=1) if normal(run) in names]
    return found[-1] if found else None


def find(query: str, entries: Sequence[Named]) -> LookupResult:
    """The entry meant by `query`: an exact name, else one clear fuzzy winner, else the close ones."""
    wanted = normal(query) if len(query) <= MAX_QUERY else ""
    if not wanted:
        return LookupResult(None, [])
    names = _by_name(entries)
    if wanted in names:
        return LookupResult(names[wanted], [])
    best: dict[str, float] = {}
    for name, score, _ in process.extract(wanted, list(names), scorer=fuzz.WRatio, limit=None):
        key = names[name].key
        best[key] = max(best.get(key, 0), score)
    ranked = sorted(((s, k) for k, s in best.items() if s >= CLOSE), reverse=True)
    by_key = {e.key: e for e in entries}
    if ranked and ranked[0][0] >= MATCH and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= LEAD):
        return LookupResult(by_key[ranked[0][1]], [])
    return LookupResult(None, [by_key[k] for _, k in ranked[:5]])
