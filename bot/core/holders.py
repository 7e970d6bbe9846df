"""Who holds each role over a shift as a whole, the holiday covers set aside: those are named with
the shift's holidays. On a handoff that falls on a holiday, the incoming primary is the one on call
once the holiday is over, not the one covering it; the outgoing one, who held it before it began."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.schedule.model import Reason, Role, Segment

Span = tuple[datetime, datetime]
Holders = tuple[Segment | None, Segment | None]  # primary, backup


def _held(segments: Sequence[Segment], role: Role, start: datetime, end: datetime) -> list[Segment]:
    return [s for s in segments if s.role is role and s.start < end and s.end > start]


def _regular(segments: Sequence[Segment], role: Role, start: datetime, end: datetime) -> list[Segment]:
    """The role's segments in [start, end) that are no holiday cover; all of them when every one is."""
    held = _held(segments, role, start, end)
    return [s for s in held if s.reason is not Reason.HOLIDAY] or held


def incoming(segments: Sequence[Segment], start: datetime, end: datetime) -> Holders:
    """Each role's first holder in the shift [start, end) who is not a holiday cover."""
    return _pick(segments, start, end, 0)


def outgoing(segments: Sequence[Segment], start: datetime, end: datetime) -> Holders:
    """Each role's last holder in the shift [start, end) who is not a holiday cover."""
    return _pick(segments, start, end, -1)


def _pick(segments: Sequence[Segment], start: datetime, end: datetime, index: int) -> Holders:
    primary, backup = (_regular(segments, role, start, end) for role in (Role.PRIMARY, Role.BACKUP))
    return (primary[index] if primary else None, backup[index] if backup else None)


@dataclass(frozen=True)
class Turn:
    """One person's time in one role over a shift."""

    person: str
    role: Role
    spans: tuple[Span, ...]  # oldest first, never touching


def turns(segments: Sequence[Segment], start: datetime, end: datetime) -> list[Turn]:
    """Everyone who holds a role in [start, end) outside holiday covers, with when; primaries first."""
    found: dict[tuple[Role, str], list[Span]] = {}
    for role in Role:
        for segment in _held(segments, role, start, end):
            if segment.person is None or segment.reason is Reason.HOLIDAY:
                continue
            spans = found.setdefault((role, segment.person), [])
            span = (max(segment.start, start), min(segment.end, end))
            if spans and spans[-1][1] == span[0]:  # the same person again for another reason
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
    return [Turn(person, role, tuple(spans)) for (role, person), spans in found.items()]
