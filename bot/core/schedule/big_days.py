"""The big days of one year, spread over the years: New Year's Day, Thanksgiving, Christmas, ...

The year's big days are chosen together, so that the weighted counts over every run of years that
ends with this one differ by as little as possible (by at most the heaviest weight whenever the
rotation allows it); then nobody covers the same big day two years running; among equally good
choices, whoever had a big day least recently goes first, then the shift's backup, then rotation
order. The spread comes before the repeat: in a small daily rotation the two can conflict.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Beyond this many combinations of a year's big days, only the least-loaded candidates are tried.
COMBINATIONS = 4096


@dataclass(frozen=True)
class BigDay:
    eligible: tuple[str, ...]  # who may cover it, in rotation order after the day's primary
    weight: int
    backup: str
    last: str | None  # who covered the same holiday the year before


@dataclass(frozen=True)
class Standing:
    """What the earlier years and this year's fixed covers left: loads per run of years, recency."""

    windows: Sequence[Mapping[str, int]]  # weighted loads over each run of years ending with this one
    recency: Mapping[str, int]  # 0 for whoever had a big day least recently (or never), then 1, ...
    limit: int  # the spread the rule allows: the heaviest big day's weight
    # How many of the year's other holidays each member may cover, when the big days should go first
    # to those with the fewest (so that the year's counts can still even out); None: no matter.
    scarcity: Mapping[str, int] | None = None


def choose(days: Sequence[BigDay], standing: Standing) -> list[str]:
    """One cover per big day (each must have someone eligible), spread as evenly as the days allow."""
    longest = standing.windows[0]
    keep = max(2, int(COMBINATIONS ** (1 / len(days))))
    candidates = [
        sorted(day.eligible, key=lambda m: (longest.get(m, 0), standing.recency.get(m, 0)))[:keep]
        for day in days
    ]
    best = min(itertools.product(*candidates), key=lambda combo: _cost(days, combo, standing))
    return list(best)


def _cost(
    days: Sequence[BigDay], combo: Sequence[str], standing: Standing
) -> tuple[int, int, int, int, int, int, int, tuple[int, ...]]:
    excess = spreads = 0
    longest = 0
    for base in standing.windows:
        loads = dict(base)
        for day, person in zip(days, combo, strict=True):
            loads[person] = loads.get(person, 0) + day.weight
        spread = max(loads.values()) - min(loads.values())
        excess += max(0, spread - standing.limit)
        spreads += spread
        longest = longest or max(1, spread - standing.limit)
    repeats = sum(p == day.last for day, p in zip(days, combo, strict=True))
    scarce = sum(standing.scarcity.get(p, 0) for p in combo) if standing.scarcity is not None else 0
    recency = sum(standing.recency.get(p, 0) for p in combo)
    not_backup = sum(p != day.backup for day, p in zip(days, combo, strict=True))
    order = tuple(day.eligible.index(p) for day, p in zip(days, combo, strict=True))
    return longest - 1, excess, repeats, scarce, spreads, recency, not_backup, order
