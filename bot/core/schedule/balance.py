"""Evening out a year's holiday counts by moving duties along chains of eligible people."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping


def rebalance(
    eligible: Mapping[int, tuple[str, ...]],
    assigned: dict[int, str | None],
    counts: dict[str, int],
    fixed: Collection[int],
) -> None:
    """Move duties until counts differ by at most one, where possible; `fixed` duties stay put.

    A greedy pass can leave a spread of two when the least-loaded person is the one who is off on a
    later holiday; an augmenting path (A gives a day to B, B gives one to C, ...) repairs it.
    """
    while True:
        low = min(counts.values())
        path = _find_path(eligible, assigned, counts, fixed, low)
        if path is None:
            return
        for index, new_holder in path:
            old = assigned[index]
            assert old is not None
            counts[old] -= 1
            counts[new_holder] += 1
            assigned[index] = new_holder


def _find_path(
    eligible: Mapping[int, tuple[str, ...]],
    assigned: dict[int, str | None],
    counts: dict[str, int],
    fixed: Collection[int],
    low: int,
) -> list[tuple[int, str]] | None:
    sources = [p for p, n in counts.items() if n >= low + 2]
    parents: dict[str, tuple[str, int] | None] = dict.fromkeys(sources)
    queue = deque(sources)
    while queue:
        person = queue.popleft()
        for index, holder in assigned.items():
            if holder != person or index in fixed:
                continue
            for other in eligible[index]:
                if other in parents:
                    continue
                parents[other] = (person, index)
                if counts[other] == low:
                    return _unwind(parents, other)
                queue.append(other)
    return None


def _unwind(parents: dict[str, tuple[str, int] | None], end: str) -> list[tuple[int, str]]:
    moves = []
    person = end
    while (link := parents[person]) is not None:
        giver, index = link
        moves.append((index, person))
        person = giver
    return moves
