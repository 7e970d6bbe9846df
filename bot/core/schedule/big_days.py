"""The big days of one year, spread over the years: New Year's Day, Thanksgiving, Christmas, ...

The year's big days are chosen together, so that the weighted counts over every run of years that
ends with this one differ by as little as possible (by at most the heaviest weight whenever the
rotation allows it); then nobody covers the same big day two years running; among equally good
choices, whoever had a big day least recently goes first, then the shift's backup, then rotation
order. The spread comes before the repeat: in a small daily rotation the two can conflict.

The year after is looked at too: a member who is the primary of every big day next year can take
none of them, so this year leaves them ahead where it can, rather than let the counts since the
first year drift apart by more than the rule allows.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Beyond this many combinations of a year's big days, only the least-loaded candidates are tried.
COMBINATIONS = 4096
# Beyond this many ways next year's big days can fall, only the evenest are looked at.
NEXT_YEAR_WAYS = 256


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
    # Next year's big days: who may cover each (the pinned or recorded cover alone) and its weight.
    next_year: Sequence[tuple[tuple[str, ...], int]] = ()


def choose(days: Sequence[BigDay], standing: Standing) -> list[str]:
    """One cover per big day (each must have someone eligible), spread as evenly as the days allow."""
    candidates = _least_loaded(days, standing)
    tried = [
        _worth_trying(day, len(days), found, standing) for day, found in zip(days, candidates, strict=True)
    ]
    cost = _Cost(days, standing)
    best = min(itertools.product(*tried), key=cost)
    if cost.beyond(best):  # rare: only then is every combination looked ahead
        costs = {combo: cost(combo) for combo in itertools.product(*candidates)}
        best = min(costs, key=lambda c: (costs[c][0], cost.beyond(c), costs[c][1:]))
    return list(best)


def _least_loaded(days: Sequence[BigDay], standing: Standing) -> list[list[str]]:
    longest = standing.windows[0]
    keep = max(2, int(COMBINATIONS ** (1 / len(days))))
    return [
        sorted(day.eligible, key=lambda m: (longest.get(m, 0), standing.recency.get(m, 0)))[:keep]
        for day in days
    ]


def _worth_trying(day: BigDay, days: int, candidates: list[str], standing: Standing) -> list[str]:
    """The candidates that can be the best cover of the day.

    A member is left out when `days` members before them in the day's order are no worse by every
    measure the cost takes (loads over each run of years, scarcity, recency): one of those is free
    whatever the other days get, and giving them the day instead is better. The day's backup and
    last year's cover are kept, as the cost treats them apart.
    """

    def measures(member: str) -> tuple[int, ...]:
        scarce = standing.scarcity.get(member, 0) if standing.scarcity is not None else 0
        loads = (window.get(member, 0) for window in standing.windows)
        return scarce, standing.recency.get(member, 0), *loads

    rank = {m: i for i, m in enumerate(day.eligible)}
    kept: list[str] = []
    plain: list[tuple[int, ...]] = []
    for member in sorted(candidates, key=rank.__getitem__):
        mine = measures(member)
        special = member in (day.backup, day.last)
        better = (o for o in plain if all(a <= b for a, b in zip(o, mine, strict=True)))
        if special or next(itertools.islice(better, days - 1, None), None) is None:
            kept.append(member)
        if not special:
            plain.append(mine)
    return kept


def _next_year_loads(standing: Standing) -> list[dict[str, int]]:
    """The distinct ways next year's big days can add to the members' loads, the evenest first."""
    ways: set[frozenset[tuple[str, int]]] = {frozenset()}
    for eligible, weight in standing.next_year:
        grown = set()
        for way in ways:
            added = dict(way)
            for person in eligible:
                grown.add(frozenset({**added, person: added.get(person, 0) + weight}.items()))
        ways = set(sorted(grown, key=_heaviest)[:NEXT_YEAR_WAYS])
    return [dict(way) for way in sorted(ways, key=_heaviest)]


def _heaviest(way: frozenset[tuple[str, int]]) -> tuple[int, list[tuple[str, int]]]:
    return max((w for _, w in way), default=0), sorted(way)


class _Cost:
    """What each combination of covers costs, best first; what they all share is worked out once."""

    def __init__(self, days: Sequence[BigDay], standing: Standing) -> None:
        self.days, self.standing = days, standing
        self.ranked = [sorted(window.items(), key=lambda item: item[1]) for window in standing.windows]
        self.order = [{m: i for i, m in enumerate(day.eligible)} for day in days]
        self.next_year_ways = functools.cache(lambda: _next_year_loads(standing))

    def added(self, combo: Sequence[str]) -> dict[str, int]:
        added: dict[str, int] = {}
        for day, person in zip(self.days, combo, strict=True):
            added[person] = added.get(person, 0) + day.weight
        return added

    def beyond(self, combo: Sequence[str]) -> int:
        """How far past the rule the run since the first year must go next year, at best."""
        since_first, ranked = self.standing.windows[0], self.ranked[0]
        added = self.added(combo)
        allowed = self.standing.limit + 1
        # Next year's big days each to the least-loaded member who may cover them: when that quick
        # way keeps to the rule, so does the best way.
        quick = dict(added)
        for eligible, weight in self.standing.next_year:
            person = min(eligible, key=lambda m: since_first.get(m, 0) + quick.get(m, 0))
            quick[person] = quick.get(person, 0) + weight
        if _spread_after(since_first, ranked, quick) <= allowed:
            return 0
        best = min(
            _spread_after(
                since_first, ranked, {m: added.get(m, 0) + way.get(m, 0) for m in added.keys() | way}
            )
            for way in self.next_year_ways()
        )
        return max(0, best - allowed)

    def __call__(self, combo: Sequence[str]) -> tuple[int, int, int, int, int, int, int, tuple[int, ...]]:
        days, standing = self.days, self.standing
        added = self.added(combo)
        excess = spreads = 0
        longest = 0
        for base, ranked in zip(standing.windows, self.ranked, strict=True):
            spread = _spread_after(base, ranked, added)
            excess += max(0, spread - standing.limit)
            spreads += spread
            longest = longest or max(1, spread - standing.limit)
        repeats = sum(p == day.last for day, p in zip(days, combo, strict=True))
        scarcity = standing.scarcity
        scarce = sum(scarcity.get(p, 0) for p in combo) if scarcity is not None else 0
        recency = sum(standing.recency.get(p, 0) for p in combo)
        not_backup = sum(p != day.backup for day, p in zip(days, combo, strict=True))
        order = tuple(ranks[p] for ranks, p in zip(self.order, combo, strict=True))
        return longest - 1, excess, repeats, scarce, spreads, recency, not_backup, order


def _spread_after(
    base: Mapping[str, int], ranked: Sequence[tuple[str, int]], added: Mapping[str, int]
) -> int:
    """The spread of `base` with `added` on top, from its lowest and highest untouched loads."""
    values = [base.get(m, 0) + n for m, n in added.items()]
    for side in (ranked, reversed(ranked)):
        values.extend(itertools.islice((n for m, n in side if m not in added), 1))
    return max(values) - min(values)
