"""Escalation levels from the team file, and when an unacknowledged incident escalates by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.incidents.escalation import (
    Policy,
    TargetKind,
    due_at,
    is_due,
    levels,
    next_level,
    why_automatic,
)
from bot.core.incidents.model import Status
from bot.core.team import EscalationContact, Pipeline
from tests.incidents.fixtures import DECLARED, PIPELINES, WEEK6, incident

POLICY = Policy.from_minutes(sev1=5, sev2=15, sev3=60)


@pytest.mark.parametrize("key", ["engagement", "engagement-daily"])
def test_kafka_pipeline_calls_infrastructure_then_the_admins(key: str) -> None:
    first, second = levels(PIPELINES[key], WEEK6.people)
    assert (first.number, first.name) == (1, "escalation contacts")
    assert [(t.kind, t.ref, t.name) for t in first.targets] == [
        (TargetKind.GROUP, "S0INFRA01", "Infrastructure team")
    ]
    assert (second.number, second.name) == (2, "admins")
    assert [t.ref for t in second.targets] == ["alice", "david"]


def test_out_of_memory_pipeline_calls_the_whole_team_and_the_applications_at_once() -> None:
    first, second = levels(PIPELINES["aggregated"], WEEK6.people)  # the seed: "team + app teams"
    everyone = [(TargetKind.PERSON, p.id) for p in WEEK6.people]
    assert [(t.kind, t.ref) for t in first.targets] == [*everyone, (TargetKind.GROUP, "S0APPTEAM1")]
    assert second.name == "admins"


def test_a_pipeline_without_contacts_goes_straight_to_the_admins() -> None:
    [only] = levels(PIPELINES["growth"], WEEK6.people)
    assert (only.number, only.name) == (1, "admins")


@pytest.mark.parametrize(
    ("contact", "kind", "ref"),
    [
        (EscalationContact(name="Infra", slack="S0INFRA01"), TargetKind.GROUP, "S0INFRA01"),
        (EscalationContact(name="Infra room", slack="C0INFRA01"), TargetKind.CHANNEL, "C0INFRA01"),
        (EscalationContact(name="Private room", slack="G0INFRA01"), TargetKind.CHANNEL, "G0INFRA01"),
        (EscalationContact(name="Kafka lead", slack="U0KAFKA01"), TargetKind.USER, "U0KAFKA01"),
        (EscalationContact(name="Vendor support"), TargetKind.NAME, "Vendor support"),
        ("bob", TargetKind.PERSON, "bob"),
    ],
)
def test_each_kind_of_contact(contact: EscalationContact | str, kind: TargetKind, ref: str) -> None:
    pipeline = Pipeline(key="p", name="P", area="a", primary="alice", secondary="bob", escalation=[contact])
    [first, _] = levels(pipeline, WEEK6.people)
    assert (first.targets[0].kind, first.targets[0].ref) == (kind, ref)


@pytest.mark.parametrize(("severity", "minutes"), [("sev1", 5), ("sev2", 15), ("sev3", 60)])
def test_due_after_the_severity_wait(severity: str, minutes: int) -> None:
    ladder = levels(PIPELINES["engagement"], WEEK6.people)
    case = incident(pipeline="engagement", severity=severity)
    assert due_at(case, ladder, POLICY) == DECLARED + timedelta(minutes=minutes)
    assert not is_due(case, ladder, POLICY, DECLARED + timedelta(minutes=minutes, seconds=-1))
    assert is_due(case, ladder, POLICY, DECLARED + timedelta(minutes=minutes))


def test_each_level_waits_from_the_previous_one() -> None:
    ladder = levels(PIPELINES["engagement"], WEEK6.people)
    later = DECLARED + timedelta(minutes=9)
    after_first = incident(pipeline="engagement", level=1, level_at=later)
    assert next_level(after_first, ladder) == ladder[1]
    assert due_at(after_first, ladder, POLICY) == later + timedelta(minutes=5)


@pytest.mark.parametrize(
    "state",
    [
        {"acked_by": "bob", "acked_at": DECLARED},
        {"status": Status.RESOLVED},
        {"level": 2},  # every level called
    ],
)
def test_no_timer_once_acknowledged_resolved_or_at_the_top(state: dict[str, object]) -> None:
    ladder = levels(PIPELINES["engagement"], WEEK6.people)
    case = incident(pipeline="engagement", **state)
    assert due_at(case, ladder, POLICY) is None
    assert not is_due(case, ladder, POLICY, DECLARED + timedelta(days=1))


@pytest.mark.parametrize(
    ("state", "reopened_after", "says"),
    [
        ({"severity": "sev2"}, None, "sev2 not acknowledged within 15 minutes"),
        (
            {"level": 1, "level_at": DECLARED + timedelta(minutes=5)},
            None,
            "sev1 not acknowledged 10 minutes after it was declared (5 minutes after level 1 was called)",
        ),
        (
            {"level": 1, "level_at": DECLARED + timedelta(minutes=7)},  # level 1 called by hand
            None,
            "sev1 not acknowledged 12 minutes after it was declared (5 minutes after level 1 was called)",
        ),
        (
            {"severity": "sev2", "level_at": DECLARED + timedelta(hours=1)},
            timedelta(hours=1),
            "sev2 not acknowledged within 15 minutes of being reopened",
        ),
        (
            {"severity": "sev2", "level": 2, "level_at": DECLARED + timedelta(hours=1, minutes=15)},
            timedelta(hours=1),
            "sev2 not acknowledged 30 minutes after it was reopened (15 minutes after level 2 was called)",
        ),
    ],
    ids=["level-1", "level-2", "after-a-manual-level-1", "reopened", "reopened-then-escalated"],
)
def test_the_reason_counts_from_the_declaration_and_the_last_level(
    state: dict[str, object], reopened_after: timedelta | None, says: str
) -> None:
    reopened_at = DECLARED + reopened_after if reopened_after else None
    case = incident(**state)
    on_time = case.level_at + POLICY.wait(case.severity)  # the sweep runs as soon as it is due
    assert why_automatic(case, POLICY, now=on_time, reopened_at=reopened_at) == says


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ({}, "sev1 not acknowledged 26 minutes after it was declared (the limit is 5 minutes)"),
        (
            {"level": 1, "level_at": DECLARED + timedelta(minutes=5)},
            "sev1 not acknowledged 26 minutes after it was declared (21 minutes after level 1 was called)",
        ),
    ],
)
def test_a_late_escalation_says_the_time_it_really_waited(state: dict[str, object], says: str) -> None:
    # The sweep was down: declared at 14:04, escalated at 14:30.
    late = DECLARED + timedelta(minutes=26)
    assert why_automatic(incident(**state), POLICY, now=late) == says


def test_one_minute_is_singular() -> None:
    one = Policy.from_minutes(sev1=1, sev2=15, sev3=60)
    said = why_automatic(incident(severity="sev1"), one, now=DECLARED + timedelta(minutes=1))
    assert said == "sev1 not acknowledged within 1 minute"
