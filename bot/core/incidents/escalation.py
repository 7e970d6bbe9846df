"""Escalation levels of a pipeline, and when an unacknowledged incident reaches the next one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.incidents.model import Incident
from bot.core.team import EscalationContact, Person, Pipeline


class TargetKind(StrEnum):
    GROUP = "group"  # a Slack user group: <!subteam^S…>
    CHANNEL = "channel"
    USER = "user"  # a Slack user outside the team file
    PERSON = "person"  # someone in the team file
    NAME = "name"  # a contact with no Slack id: named, not mentioned


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    ref: str  # Slack id, person id or name
    name: str


@dataclass(frozen=True)
class Level:
    number: int  # 1-based
    name: str
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Policy:
    """How long each severity may stay unacknowledged before the next level is called."""

    waits: Mapping[str, timedelta]

    @classmethod
    def from_minutes(cls, *, sev1: int, sev2: int, sev3: int) -> Policy:
        return cls(
            {
                "sev1": timedelta(minutes=sev1),
                "sev2": timedelta(minutes=sev2),
                "sev3": timedelta(minutes=sev3),
            }
        )

    def wait(self, severity: str) -> timedelta:
        return self.waits[severity]


def contact_target(contact: str | EscalationContact, people: Mapping[str, Person]) -> Target:
    if isinstance(contact, str):
        return Target(TargetKind.PERSON, contact, people[contact].name if contact in people else contact)
    slack = contact.slack or ""
    kind = {"S": TargetKind.GROUP, "C": TargetKind.CHANNEL, "G": TargetKind.CHANNEL}.get(
        slack[:1], TargetKind.USER if slack else TargetKind.NAME
    )
    return Target(kind, slack or contact.name, contact.name)


def levels(pipeline: Pipeline | None, people: Sequence[Person]) -> list[Level]:
    """Level 1: the pipeline's escalation contacts; then the admins. A level with nobody is skipped,
    so an incident no pipeline of the team file claims (an alert to triage) goes to the admins."""
    by_id = {p.id: p for p in people}
    contacts = pipeline.escalation if pipeline is not None else ()
    steps = [
        ("escalation contacts", tuple(contact_target(c, by_id) for c in contacts)),
        ("admins", tuple(Target(TargetKind.PERSON, p.id, p.name) for p in people if p.admin)),
    ]
    present = [(name, targets) for name, targets in steps if targets]
    return [Level(number, name, targets) for number, (name, targets) in enumerate(present, start=1)]


def next_level(incident: Incident, ladder: Sequence[Level]) -> Level | None:
    """The level an escalation of this incident would call, or None when every level was called."""
    return ladder[incident.level] if incident.level < len(ladder) else None


def due_at(incident: Incident, ladder: Sequence[Level], policy: Policy) -> datetime | None:
    """When the incident escalates by itself: never once acknowledged, resolved or at the last level."""
    if not incident.is_open or incident.acked_by is not None or next_level(incident, ladder) is None:
        return None
    return incident.level_at + policy.wait(incident.severity)


def is_due(incident: Incident, ladder: Sequence[Level], policy: Policy, now: datetime) -> bool:
    due = due_at(incident, ladder, policy)
    return due is not None and due <= now


def _minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def why_automatic(
    incident: Incident, policy: Policy, *, now: datetime, reopened_at: datetime | None = None
) -> str:
    """Why the sweep escalates at `now`: the time it really went unacknowledged, counted from the
    declaration or from the last reopen (`reopened_at`), and from the level called last if any."""
    wait = policy.wait(incident.severity)
    start, what = (reopened_at, "reopened") if reopened_at else (incident.declared_at, "declared")
    waited = now - start
    if incident.level_at <= start:  # no level called since: the wait counts from the start itself
        if waited < wait + timedelta(minutes=1):  # on time: the limit is the time
            of = f" of being {what}" if reopened_at else ""
            return f"{incident.severity} not acknowledged within {_minutes(wait)}{of}"
        return (
            f"{incident.severity} not acknowledged {_minutes(waited)} after it was {what} "
            f"(the limit is {_minutes(wait)})"
        )
    return (
        f"{incident.severity} not acknowledged {_minutes(waited)} after it was {what} "
        f"({_minutes(now - incident.level_at)} after level {incident.level} was called)"
    )
