"""Swaps as the engine sees them: people's shifts, the changes a swap makes, and what they would break.

Pure: resolved segments and absences in, changes and problems out. The service feeds it from the store
and resolves the schedule again with the proposed overrides, so the engine has the last word.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Literal

from bot.core.schedule.model import Absence, Role, Segment, Words, spell

Mode = Literal["exchange", "cover"]
PROPOSED_SEQ = 2**62  # proposed overrides are newer than anything stored


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def clip(self, other: Span) -> Span | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Span(start, end) if start < end else None


@dataclass(frozen=True)
class Duty:
    """What people call "my shift": a stretch of one plain shift during which a person holds a role."""

    rotation: str
    person: str
    span: Span
    roles: tuple[Role, ...]  # in the order held


@dataclass(frozen=True)
class Change:
    """One role handed to someone else over a span; written as an override when the swap is approved."""

    role: Role
    person: str  # who takes the role
    instead_of: str  # who held it
    span: Span


ProblemKind = Literal["nothing_to_give", "nothing_to_take", "away", "both_roles", "gap", "engine"]


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    span: Span
    person: str | None = None
    role: Role | None = None
    detail: Words = ()  # why, in the engine's words or the absence's reason


def duties(segments: Sequence[Segment], person: str, shift_starts: Sequence[datetime]) -> list[Duty]:
    """A person's duties: their segments cut at the plain shifts' starts, joined within one shift."""
    starts = sorted(shift_starts)
    pieces: list[tuple[Span, Role, str]] = []
    for segment in segments:
        if segment.person != person:
            continue
        cuts = starts[bisect.bisect_right(starts, segment.start) : bisect.bisect_left(starts, segment.end)]
        bounds = [segment.start, *cuts, segment.end]
        pieces += [(Span(a, b), segment.role, segment.rotation) for a, b in pairwise(bounds)]
    pieces.sort(key=lambda p: p[0].start)
    found: list[Duty] = []
    boundaries = set(starts)
    for span, role, rotation in pieces:
        last = found[-1] if found else None
        if last and last.span.end == span.start and span.start not in boundaries:
            roles = last.roles if role in last.roles else (*last.roles, role)
            found[-1] = Duty(rotation, person, Span(last.span.start, span.end), roles)
        else:
            found.append(Duty(rotation, person, span, (role,)))
    return found


def plan(
    mode: Mode,
    segments: Sequence[Segment],
    *,
    requester: str,
    teammate: str,
    give: Span,
    take: Span | None,
) -> list[Change]:
    """The role changes of a swap.

    An exchange swaps the two people wherever either holds a role, in both intervals, so a primary and
    backup pair stays two people. A cover hands the requester's roles in `give` to the teammate.
    """
    swap = {requester: teammate, teammate: requester} if mode == "exchange" else {requester: teammate}
    spans = [give, take] if mode == "exchange" and take else [give]
    changes: list[Change] = []
    for span in spans:
        for segment in segments:
            piece = span.clip(Span(segment.start, segment.end))
            if piece and segment.person in swap:
                changes.append(Change(segment.role, swap[segment.person], segment.person, piece))
    return _joined(changes)


def _joined(changes: list[Change]) -> list[Change]:
    """Adjacent changes of the same role between the same people become one."""
    joined: list[Change] = []
    for change in sorted(changes, key=lambda c: (c.role.value, c.span.start)):
        last = joined[-1] if joined else None
        same = last and (last.role, last.person, last.instead_of) == (
            change.role,
            change.person,
            change.instead_of,
        )
        if last and same and last.span.end == change.span.start:
            joined[-1] = Change(
                last.role, last.person, last.instead_of, Span(last.span.start, change.span.end)
            )
        else:
            joined.append(change)
    return sorted(joined, key=lambda c: (c.span.start, c.role is Role.BACKUP))


def problems(
    changes: Sequence[Change],
    *,
    mode: Mode,
    requester: str,
    teammate: str,
    give: Span,
    take: Span | None,
    before: Sequence[Segment],
    after: Sequence[Segment],
    absences: Sequence[Absence],
) -> list[Problem]:
    """Why the swap cannot stand, most specific first; empty when it can.

    `before` is the schedule as it is, `after` the engine's answer with the changes as overrides.
    """
    found: list[Problem] = []
    if not any(c.instead_of == requester and c.span.overlaps(give) for c in changes):
        found.append(Problem("nothing_to_give", give, requester))
    if (
        mode == "exchange"
        and take
        and not any(c.instead_of == teammate and c.span.overlaps(take) for c in changes)
    ):
        found.append(Problem("nothing_to_take", take, teammate))
    for change in changes:
        for absence in absences:
            overlap = change.span.clip(Span(absence.start, absence.end))
            if absence.person == change.person and overlap:
                reason = (absence.reason,) if absence.reason else ()
                found.append(Problem("away", overlap, change.person, change.role, reason))
    found += _both_roles(changes, before)
    found += _broken(changes, before, after)
    return _distinct(found)


def _holder_at(segments: Sequence[Segment], role: Role, at: datetime) -> str | None:
    return next((s.person for s in segments if s.role is role and s.start <= at < s.end), None)


def _both_roles(changes: Sequence[Change], before: Sequence[Segment]) -> list[Problem]:
    """Changes laid over the schedule as it is, piece by piece: one person must not hold both roles."""
    found = []
    for change in changes:
        points = sorted(
            {change.span.start}
            | {t for s in before for t in (s.start, s.end) if change.span.start < t < change.span.end}
            | {
                t
                for c in changes
                for t in (c.span.start, c.span.end)
                if change.span.start < t < change.span.end
            }
        )
        for at in points:
            other = Role.BACKUP if change.role is Role.PRIMARY else Role.PRIMARY
            changed = next(
                (c.person for c in changes if c.role is other and c.span.start <= at < c.span.end), None
            )
            holder = changed or _holder_at(before, other, at)
            if holder == change.person:
                found.append(Problem("both_roles", Span(at, change.span.end), change.person))
                break
    return found


def _broken(changes: Sequence[Change], before: Sequence[Segment], after: Sequence[Segment]) -> list[Problem]:
    """Where the engine would not keep what the swap asks, or would leave a role to nobody."""
    found = []
    for change in changes:
        for segment in after:
            piece = change.span.clip(Span(segment.start, segment.end))
            if piece is None or segment.role is not change.role or segment.person == change.person:
                continue
            kind: ProblemKind = "gap" if segment.person is None else "engine"
            if kind == "gap" and _holder_at(before, segment.role, piece.start) is None:
                continue  # nobody held it before either: not the swap's doing
            found.append(Problem(kind, piece, change.person, change.role, segment.detail))
    return found


def _distinct(found: list[Problem]) -> list[Problem]:
    seen, result = set(), []
    for problem in found:
        key = (problem.kind, problem.person)
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


def describe(problem: Problem, names: Mapping[str, str], when: Callable[[datetime], str]) -> str:
    """A problem in words; `when` writes an instant in the reader's time zone."""
    who = names.get(problem.person or "", problem.person or "nobody")
    why = f" ({spell(problem.detail, lambda p: names.get(p, p))})" if problem.detail else ""
    span = f"from {when(problem.span.start)} to {when(problem.span.end)}"
    role = problem.role.value if problem.role else "a role"
    match problem.kind:
        case "nothing_to_give":
            return f"{who} holds no shift {span}"
        case "nothing_to_take":
            return f"{who} holds no shift {span} to give in exchange"
        case "away":
            return f"{who} is away {span}{why}"
        case "both_roles":
            return f"{who} would be primary and backup at once {span}"
        case "gap":
            return f"nobody would be left as {role} {span}"
        case _:
            return f"the schedule would not keep {who} as {role} {span}{why}"
