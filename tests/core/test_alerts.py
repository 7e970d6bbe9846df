"""Alert payloads into signals: the same cause keeps one identity, severity and routing by table."""

from __future__ import annotations

import ast
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot.core
from bot.core.alerts import (
    TRIAGE,
    BadAlert,
    parse_alertmanager,
    parse_generic,
    reopens,
    route,
    severity_of,
    still_firing_due,
)
from tests.slack.alert_intake import GRAFANA, alertmanager

NAMES = [("growth", ("Growth Pipeline", "aggregate growth")), ("profit", ("Profit Pipeline",))]
AT = datetime(2026, 12, 8, 8, tzinfo=UTC)


def body(payload: object) -> bytes:
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("label", "severity"),
    [
        ("critical", "sev1"),
        ("CRITICAL", "sev1"),
        ("warning", "sev3"),
        ("info", None),
        (None, None),
        ("sev2", "sev2"),
    ],
)
def test_severity_labels(label: str | None, severity: str | None) -> None:
    assert severity_of(label) == severity


def test_the_same_group_keeps_its_identity_from_firing_to_resolved() -> None:
    [firing] = parse_alertmanager(body(alertmanager()))
    [resolved] = parse_alertmanager(body(alertmanager("resolved", fingerprint="other")))
    assert firing.identity == resolved.identity and firing.firing and not resolved.firing
    [elsewhere] = parse_alertmanager(body(alertmanager(group='{}:{alertname="SparkOOM"}')))
    assert elsewhere.identity != firing.identity


def test_a_payload_spanning_pipelines_gives_a_signal_per_pipeline() -> None:
    payload = alertmanager()
    payload["alerts"] = [*payload["alerts"], {**payload["alerts"][0], "labels": {"pipeline": "profit"}}]
    assert sorted(s.pipeline_hint or "" for s in parse_alertmanager(body(payload))) == ["growth", "profit"]


def test_grafanas_extra_fields_are_accepted() -> None:
    [signal] = parse_alertmanager(body(GRAFANA))
    assert signal.summary == "This alert was triggered for zone us-1" and signal.pipeline_hint == "profit"


@pytest.mark.parametrize(
    ("hint", "fallback", "pipeline"),
    [
        ("growth", None, "growth"),
        ("Aggregate Growth", None, "growth"),
        ("growht", "profit", "profit"),  # no fuzzy match: a machine's typo goes to the fallback
        ("growht", None, TRIAGE),
        (None, None, TRIAGE),
    ],
)
def test_routing(hint: str | None, fallback: str | None, pipeline: str) -> None:
    [signal] = parse_alertmanager(body(alertmanager(labels={"pipeline": hint} if hint else {})))
    if hint is None:
        signal = parse_generic(body({"summary": "x"}))
    assert route(signal, fallback=fallback, names=NAMES) == pipeline


def test_a_dedup_key_alone_names_the_cause() -> None:
    trigger = parse_generic(body({"summary": "late", "pipeline": "growth", "dedup_key": "k"}))
    resolve = parse_generic(body({"event_action": "resolve", "dedup_key": "k"}))
    assert trigger.identity == resolve.identity


def test_bad_generic_events() -> None:
    with pytest.raises(BadAlert, match="event_action"):
        parse_generic(body({"summary": "x", "event_action": "snooze"}))


def test_still_firing_and_reopen_windows() -> None:
    assert not still_firing_due(AT, AT + timedelta(minutes=9, seconds=59))
    assert still_firing_due(AT, AT + timedelta(minutes=10))
    assert reopens(AT, AT + timedelta(hours=24)) and not reopens(AT, AT + timedelta(hours=24, seconds=1))
    assert not reopens(None, AT)


def test_the_core_imports_no_slack_or_database() -> None:
    edges = ("slack_bolt", "slack_sdk", "sqlalchemy", "aiohttp", "bot.store", "bot.slack", "bot.services")
    for path in Path(bot.core.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(edges), f"{path.name} imports {node.module}"
