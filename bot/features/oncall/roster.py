"""Whose shifts a change of the team file moved: the coming weeks resolved under the old team and
under the new one, with the same absences and swaps, compared person by person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import resolve
from bot.core.schedule.model import Role, Segment
from bot.features.oncall.views import TeamView, schedule_inputs

HORIZON = timedelta(weeks=8)  # far enough to cover the shifts people plan around


@dataclass(frozen=True, order=True)
class Stretch:
    """An unbroken time one person holds one role of one rotation."""

    start: datetime
    end: datetime
    rotation: str
    role: Role


@dataclass(frozen=True)
class MovedShifts:
    person: str
    gained: tuple[Stretch, ...]
    lost: tuple[Stretch, ...]


def stretches(segments: Iterable[Segment]) -> dict[str, set[Stretch]]:
    """Each person's stretches, with back-to-back segments of one role joined: a holiday that
    splits a week without changing who holds it is not a change."""
    by_person: dict[str, list[Stretch]] = defaultdict(list)
    for s in sorted(segments, key=lambda s: (s.rotation, s.role.value, s.start)):
        if s.person is None:
            continue
        held = by_person[s.person]
        last = held[-1] if held else None
        if last and (last.rotation, last.role, last.end) == (s.rotation, s.role, s.start):
            held[-1] = Stretch(last.start, s.end, s.rotation, s.role)
        else:
            held.append(Stretch(s.start, s.end, s.rotation, s.role))
    return {person: set(held) for person, held in by_person.items()}


def moved_shifts(before: Iterable[Segment], after: Iterable[Segment]) -> list[MovedShifts]:
    """The people whose stretches differ, with what they gained and what they lost."""
    old, new = stretches(before), stretches(after)
    moved = []
    for person in sorted(old.keys() | new.keys()):
        gained = new.get(person, set()) - old.get(person, set())
        lost = old.get(person, set()) - new.get(person, set())
        if gained or lost:
            moved.append(MovedShifts(person, tuple(sorted(gained)), tuple(sorted(lost))))
    return moved


async def _coming(session: AsyncSession, view: TeamView, at: datetime) -> list[Segment]:
    end = at + HORIZON
    segments = []
    for rotation in view.rotations.values():
        inputs = await schedule_inputs(session, view=view, rotation=rotation, start=at, end=end)
        segments += resolve(rotation, at, end, inputs).segments
    return segments


async def roster_changes(
    session: AsyncSession, *, old: TeamView, new: TeamView, at: datetime
) -> list[MovedShifts]:
    """Whose shifts over the coming weeks the change from `old` to `new` moved."""
    return moved_shifts(await _coming(session, old, at), await _coming(session, new, at))
