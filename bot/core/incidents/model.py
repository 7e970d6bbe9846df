"""An incident and its timeline, as the store hands them to the rest of the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

SEVERITIES = ("sev1", "sev2", "sev3")
DEFAULT_SEVERITY = "sev2"
SUMMARY_LIMIT = 500
RESOLUTION_LIMIT = 300
LINK_LIMIT = 500


class Status(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class EventKind(StrEnum):
    DECLARED = "declared"
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    STILL_FIRING = "still_firing"  # its alert keeps firing: told at most every few minutes
    SOURCE_RESOLVED = "source_resolved"  # its alert's source says it cleared
    JOINED = "joined"  # someone who saw the same outage joined instead of declaring another


@dataclass(frozen=True, kw_only=True)
class Declaration:
    """What an incident starts with, as its declarer gave it."""

    pipeline: str  # the pipeline's key
    severity: str
    summary: str
    link: str | None = None
    declared_by: str  # a person id, or the Slack id of someone outside the team
    channel: str  # where the root message goes


@dataclass(frozen=True, kw_only=True)
class Incident:
    id: int
    pipeline: str
    severity: str
    summary: str
    link: str | None
    status: Status
    declared_by: str  # a person id, or the Slack id of someone outside the team
    declared_at: datetime
    channel: str  # where the root message goes; Slack's channel id once it is posted
    ts: str | None  # the root message, once posted
    acked_by: str | None
    acked_at: datetime | None
    level: int  # escalation levels reached so far
    level_at: datetime  # when the current level began: the escalation timer counts from here
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str | None

    @property
    def is_open(self) -> bool:
        return self.status is Status.OPEN

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        return self.acked_at - self.declared_at if self.acked_at else None

    @property
    def time_to_resolve(self) -> timedelta | None:
        return self.resolved_at - self.declared_at if self.resolved_at and not self.is_open else None


@dataclass(frozen=True, kw_only=True)
class Event:
    """One entry of an incident's timeline; `posted` once its thread message is in Slack."""

    id: int
    incident_id: int
    kind: EventKind
    at: datetime
    actor: str | None  # a person id; None when the bot did it (an escalation on a timer)
    detail: str
    level: int | None
    posted: bool
