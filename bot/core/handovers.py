"""Where a change to the schedule moved a role to someone else. Pure: resolved segments in, handovers out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise

from bot.core.schedule.model import Role, Segment


@dataclass(frozen=True)
class Handover:
    """A role held by someone else over a stretch: by `before` in one schedule, by `after` in the other."""

    before: Segment
    after: Segment


def _at(segments: Sequence[Segment], at: datetime) -> Segment | None:
    return next((s for s in segments if s.start <= at < s.end), None)


def _same(a: Segment, b: Segment) -> bool:
    return (a.person, a.reason, a.detail) == (b.person, b.reason, b.detail)


def handovers(before: Sequence[Segment], after: Sequence[Segment]) -> list[Handover]:
    """Every stretch where `after` names another person for a role than `before` does, cut where
    either changes and joined where neither does. Both resolve the same rotation over the same time."""
    found: list[Handover] = []
    for role in Role:
        olds = [s for s in before if s.role is role]
        news = [s for s in after if s.role is role]
        points = sorted({t for s in (*olds, *news) for t in (s.start, s.end)})
        for start, end in pairwise(points):
            old, new = _at(olds, start), _at(news, start)
            if old is None or new is None or old.person == new.person:
                continue
            last = found[-1] if found else None
            if (
                last
                and last.after.role is role
                and last.after.end == start
                and _same(last.before, old)
                and _same(last.after, new)
            ):
                found[-1] = Handover(replace(last.before, end=end), replace(last.after, end=end))
            else:
                found.append(Handover(replace(old, start=start, end=end), replace(new, start=start, end=end)))
    return sorted(found, key=lambda h: (h.after.start, h.after.role is Role.BACKUP))
