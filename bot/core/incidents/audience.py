"""Who an incident must reach: the owners and the on-call primary, each once; whoever is away or off
for a holiday is named as such and an available on-call backup is mentioned in their place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OnCallPair:
    primary: str
    backup: str | None


@dataclass(frozen=True)
class Reach:
    person: str
    role: str  # "primary owner", "secondary owner", "on call"
    reached: bool
    why: str = ""  # why not reached: "away (vacation)", "off for Christmas Day"
    stand_in: str | None = None


def audience(
    *,
    primary_owner: str,
    secondary_owner: str,
    on_call: Sequence[OnCallPair],
    unavailable: Mapping[str, str],
) -> list[Reach]:
    """Each person once, in the order owners first, then on call; `unavailable` maps person -> why."""
    wanted = [(primary_owner, "primary owner"), (secondary_owner, "secondary owner")]
    wanted += [(pair.primary, "on call") for pair in on_call]
    found: list[Reach] = []
    seen: set[str] = set()
    for person, role in wanted:
        if person in seen:
            continue
        seen.add(person)
        if person not in unavailable:
            found.append(Reach(person, role, True))
        else:
            found.append(
                Reach(person, role, False, unavailable[person], _stand_in(person, on_call, unavailable))
            )
    return found


def _stand_in(person: str, on_call: Sequence[OnCallPair], unavailable: Mapping[str, str]) -> str | None:
    """The on-call backup, else the on-call primary, who is available and not the person themself."""
    own = [pair.backup for pair in on_call if pair.primary == person]
    candidates = [*own, *(pair.backup for pair in on_call), *(pair.primary for pair in on_call)]
    return next((c for c in candidates if c and c != person and c not in unavailable), None)


def mentioned(reaches: Sequence[Reach]) -> list[str]:
    """Everyone the thread mentions, once each: those reached, then stand-ins not already among them."""
    people = [r.person for r in reaches if r.reached]
    for r in reaches:
        if r.stand_in and r.stand_in not in people:
            people.append(r.stand_in)
    return people
