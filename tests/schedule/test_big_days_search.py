"""The big-day search leaves out members who can never be the best cover, and nothing else: what it
picks is what trying every combination would pick."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.schedule import big_days
from bot.core.schedule.big_days import BigDay, Standing

MEMBERS = tuple(f"m{i}" for i in range(7))


@st.composite
def years(draw: st.DrawFn) -> tuple[list[BigDay], Standing]:
    members = MEMBERS[: draw(st.integers(3, len(MEMBERS)))]
    some = st.lists(st.sampled_from(members), min_size=1, unique=True)
    weights = st.integers(1, 2)
    days = [
        BigDay(
            tuple(draw(some)),
            draw(weights),
            draw(st.sampled_from(members)),
            draw(st.none() | st.sampled_from(members)),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    load = st.integers(0, 4)
    windows = [{m: draw(load) for m in members} for _ in range(draw(st.integers(1, 3)))]
    recency = {m: draw(st.integers(0, 3)) for m in members}
    scarcity = draw(st.none() | st.fixed_dictionaries({m: load for m in members}))
    next_year = draw(st.lists(st.tuples(some.map(tuple), weights), max_size=3))
    limit = max(d.weight for d in days)
    return days, Standing(windows, recency, limit, scarcity, next_year)


def every_combination(days: list[BigDay], standing: Standing) -> list[str]:
    cost = big_days._Cost(days, standing)

    def rank(combo: tuple[str, ...]) -> tuple[object, ...]:
        found = cost(combo)
        return found[0], cost.beyond(combo), *found[1:]

    return list(min(itertools.product(*(d.eligible for d in days)), key=rank))


@settings(max_examples=400, deadline=None)
@given(years())
def test_the_search_picks_what_trying_everything_would(year: tuple[list[BigDay], Standing]) -> None:
    days, standing = year
    assert big_days.choose(days, standing) == every_combination(days, standing)
