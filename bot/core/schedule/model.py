"""The plain values the schedule engine reads and returns.

Everything here is standard library only: the engine must be testable without Slack, a database or a
clock. Datetimes are always timezone-aware; intervals are half-open, ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    PRIMARY = "primary"
    BACKUP = "backup"


class Unit(StrEnum):
    WEEKLY = "weekly"
    DAILY = "daily"


class Reason(StrEnum):
    """Why a person holds a role over a segment; the bot says it out loud."""

    ROTATION = "rotation"
    HOLIDAY = "holiday"
    ABSENCE = "absence"
    OVERRIDE = "override"
    SWAP = "swap"
    VOLUNTEER = "volunteer"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Rotation:
    name: str
    members: tuple[str, ...]
    timezone: str
    start: date
    handoff_time: time = time(9, 0)
    handoff_weekday: int = 0  # Monday; ignored for daily rotations
    unit: Unit = Unit.WEEKLY
    length: int = 1  # units per shift
    # primary -> backup; empty means "the next member in order" (the Week 6 plan)
    backup_pairs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Holiday:
    day: date
    name: str


class HolidayCalendar(Protocol):
    """Public and company holidays of a team, one calendar year at a time."""

    def holidays_in(self, year: int) -> Sequence[Holiday]: ...


@dataclass(frozen=True, slots=True)
class Absence:
    person: str
    start: datetime
    end: datetime
    reason: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Override:
    """An explicit assignment of a role over an interval: a swap, a volunteer, an admin's decision."""

    rotation: str
    role: Role
    person: str
    start: datetime
    end: datetime
    reason: Reason = Reason.OVERRIDE
    seq: int = 0  # among overlapping overrides the highest seq (the newest) wins
    note: str = ""


@dataclass(frozen=True, slots=True)
class Named:
    """A team member inside an explanation: the reader sees an id or a name, as they need."""

    person: str


# An explanation in parts, such as ("covers Thanksgiving Day for ", Named("carol")).
Words = tuple[str | Named, ...]


def spell(words: Words, name: Callable[[str], str] = str) -> str:
    """An explanation as text, each member written by `name` (by default their team-file id)."""
    return "".join(part if isinstance(part, str) else name(part.person) for part in words)


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift of the plain rotation, before holidays, absences and overrides."""

    rotation: str
    index: int
    primary: str
    backup: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Segment:
    """Who holds a role over ``[start, end)`` and why; ``person`` is None for a reported gap."""

    rotation: str
    role: Role
    person: str | None
    start: datetime
    end: datetime
    reason: Reason
    detail: Words = ()
    instead_of: str | None = None  # who the plain rotation had named


@dataclass(frozen=True, slots=True)
class HolidayDuty:
    rotation: str
    holiday: Holiday
    person: str | None  # None: nobody was available
    pinned: bool = False
    why: str = ""  # why this person, in words: "big day: had no big holiday since Christmas Day 2026"
    weight: int = 0  # the big-day weight of the holiday; 0 for an ordinary one
    # A weekend holiday and its observed weekday are one duty: the observed day names the holiday's
    # own date, and only the holiday itself counts.
    same_as: date | None = None
    spared: str | None = None  # who covered it the year before and was left out this time


@dataclass(frozen=True, slots=True)
class PastCover:
    """Who covered a rotation's holiday, as it happened: it wins over what the rules would plan."""

    day: date
    person: str


# The days a team would call the big ones, with how much each weighs in their spread over the years.
DEFAULT_BIG_DAYS: Mapping[str, int] = {"New Year's Day": 1, "Thanksgiving Day": 1, "Christmas Day": 1}


@dataclass(frozen=True, slots=True)
class ScheduleInputs:
    """What the engine needs beyond the rotation itself.

    Holiday duty is balanced over whole years and across years since the rotation started, so
    absences should reach back to the rotation's start; `history` (the rotation's recorded covers)
    wins over what the rules would plan for those days.
    """

    calendar: HolidayCalendar
    pinned: Mapping[date, str] = field(default_factory=dict)
    absences: Sequence[Absence] = ()
    overrides: Sequence[Override] = ()
    big_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_BIG_DAYS))
    history: Sequence[PastCover] = ()
