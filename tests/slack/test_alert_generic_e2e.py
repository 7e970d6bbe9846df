"""The generic endpoint: PagerDuty Events v2 field names, flat as a `curl` line writes them or
nested as a PagerDuty client sends them."""

from __future__ import annotations

import pytest

from bot.core.incidents.model import Status
from tests.slack.alert_intake import Intake
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.incident_calls import roots, thread_shown
from tests.slack.test_alert_intake_e2e import stored


async def test_a_curl_trigger_opens_an_incident_and_its_resolve_closes_it(intake: Intake) -> None:
    url = await intake.add("cron", "generic")
    trigger = {
        "summary": "expense records not arrived",
        "pipeline": "profit",
        "severity": "error",
        "dedup_key": "expenses-2026-12-08",
        "link": "https://airflow.example.com/dags/expenses",
        "details": {"missing": 1240},
    }
    status, answer = await intake.post(url, trigger)
    assert status == 202 and answer["status"] == "success" and answer["incident"] == 1
    incident = await stored(intake, 1)
    assert (incident.pipeline, incident.severity, incident.summary) == ("profit", "sev2", trigger["summary"])
    assert incident.link == trigger["link"]
    assert '{"missing": 1240}' in thread_shown(intake)  # type: ignore[arg-type]
    assert (await intake.post(url, trigger))[1]["incident"] == 1  # the same dedup_key folds
    status, answer = await intake.post(url, {"event_action": "resolve", "dedup_key": "expenses-2026-12-08"})
    assert status == 202 and answer["incident"] == 1
    assert (await stored(intake, 1)).status is Status.RESOLVED
    assert len(roots(intake)) == 1  # type: ignore[arg-type]


async def test_a_pagerduty_client_needs_only_the_new_url(intake: Intake) -> None:
    url = await intake.add("airflow", "generic", pipeline="growth")
    event = {
        "routing_key": "ignored-the-url-carries-the-secret",
        "event_action": "trigger",
        "dedup_key": "dag-growth-daily",
        "payload": {
            "summary": "growth_daily failed: Spark job out of memory",
            "source": "airflow",
            "severity": "critical",
            "custom_details": {"task": "aggregate"},
        },
        "links": [{"href": "https://airflow.example.com/log?dag=growth", "text": "log"}],
    }
    status, answer = await intake.post(url, event)
    assert status == 202 and answer["incident"] == 1
    incident = await stored(intake, 1)
    assert (incident.pipeline, incident.severity) == ("growth", "sev1")
    assert incident.link == "https://airflow.example.com/log?dag=growth"


async def test_without_a_dedup_key_the_same_summary_folds(intake: Intake) -> None:
    url = await intake.add("cron", "generic", pipeline="engagement")
    first = await intake.post(url, {"summary": "late events"})
    again = await intake.post(url, {"summary": "late events"})
    other = await intake.post(url, {"summary": "stale upstream table"})
    assert first[1]["incident"] == again[1]["incident"] == 1 and other[1]["incident"] == 2


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (
            {"summary": "x", "event_action": "acknowledge"},
            "event_action: Input should be 'trigger' or 'resolve'",
        ),
        ({"pipeline": "growth"}, "summary: a trigger needs a summary"),
        ({"summary": "x", "severity": "apocalyptic"}, "severity: 'apocalyptic' is not one of"),
        ({"summary": 42}, "summary: Input should be a valid string"),
        ({"event_action": "resolve"}, "dedup_key: a resolve needs the dedup_key"),
    ],
)
async def test_bad_events_get_400_with_a_reason(
    intake: Intake, event: dict[str, object], reason: str
) -> None:
    url = await intake.add("cron", "generic")
    status, answer = await intake.post(url, event)
    assert status == 400 and reason in answer["message"], answer
    assert intake.fake.calls == []


async def test_a_resolve_for_nothing_open_is_taken_quietly(intake: Intake) -> None:
    url = await intake.add("cron", "generic")
    status, answer = await intake.post(url, {"event_action": "resolve", "dedup_key": "never-fired"})
    assert status == 202 and answer["incident"] is None
    assert intake.fake.calls == []
