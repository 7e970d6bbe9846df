"""Alertmanager and Grafana alerts reaching the owners once, in one thread with the runbook, folded
with their repeats and quiet again when the source reports resolved."""

from __future__ import annotations

import pytest

from bot.core.incidents.model import Status
from bot.delivery.slack_api import make_client
from bot.features.incidents import service as incidents
from bot.jobs.incidents import escalate_due
from tests.incidents.fixtures import lines
from tests.slack.alert_intake import GRAFANA, Intake, alertmanager
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID
from tests.slack.incident_calls import latest_root, roots, thread_shown


async def stored(intake: Intake, incident_id: int) -> incidents.Incident:
    async with intake.ctx.sessions() as session:
        found = await incidents.find(session, incident_id)
    assert found is not None
    return found


async def test_an_alert_opens_one_thread_with_the_owners_the_runbook_and_what_it_says(intake: Intake) -> None:
    url = await intake.add("prom", "alertmanager")
    status, answer = await intake.post(url, alertmanager())
    assert status == 202 and answer["incident"] == 1
    incident = await stored(intake, 1)
    assert (incident.pipeline, incident.severity, incident.status) == ("growth", "sev1", Status.OPEN)
    assert incident.summary == "Kafka consumer lag above 10 minutes"
    [root] = roots(intake)  # type: ignore[arg-type]
    assert "Growth Pipeline (sev1)" in str(root.args["blocks"]) and "alert fired once" in str(
        root.args["blocks"]
    )
    said = thread_shown(intake)  # type: ignore[arg-type]
    assert "Alert from prom" in said and "signups-consumer is 14 minutes behind" in said
    assert "https://wiki.example.com/kafka-lag" in said and "Runbook: Growth Pipeline" in said
    assert f"<@{BOB}>" in said and f"<@{CAROL}>" in said  # the owners are mentioned


async def test_repeats_fold_and_the_thread_hears_still_firing_at_most_every_ten_minutes(
    intake: Intake,
) -> None:
    url = await intake.add("prom", "alertmanager")
    await intake.post(url, alertmanager())
    posted = len(intake.fake.calls)
    for _ in range(20):  # Alertmanager's retries and repeats
        status, answer = await intake.post(url, alertmanager())
        assert status == 202 and answer["incident"] == 1
    assert len(intake.fake.calls) == posted  # quiet
    intake.clock.advance(minutes=11)
    await intake.post(url, alertmanager())
    assert "Still firing: reported 22 times since it opened." in thread_shown(intake)  # type: ignore[arg-type]
    assert "alert fired 22 times" in str(latest_root(intake))  # type: ignore[arg-type]
    intake.clock.advance(minutes=5)
    before = len(intake.fake.calls)
    await intake.post(url, alertmanager())
    assert len(intake.fake.calls) == before


async def test_resolved_by_the_source_closes_it_and_a_new_firing_within_a_day_reopens_it(
    intake: Intake,
) -> None:
    url = await intake.add("prom", "alertmanager")
    await intake.post(url, alertmanager())
    intake.clock.advance(minutes=30)
    status, answer = await intake.post(url, alertmanager("resolved"))
    assert status == 202 and answer["incident"] == 1
    resolved = await stored(intake, 1)
    assert resolved.status is Status.RESOLVED and resolved.resolution == "source reports resolved"
    assert "Resolved by prom" in thread_shown(intake)  # type: ignore[arg-type]
    await intake.post(url, alertmanager("resolved"))  # Alertmanager sends it again: nothing new
    assert thread_shown(intake).count("Resolved by") == 1  # type: ignore[arg-type]
    intake.clock.advance(hours=3)
    status, answer = await intake.post(url, alertmanager())
    assert answer["incident"] == 1 and (await stored(intake, 1)).status is Status.OPEN
    assert "Reopened by prom" in thread_shown(intake)  # type: ignore[arg-type]
    await intake.post(url, alertmanager("resolved"))
    intake.clock.advance(hours=25)
    status, answer = await intake.post(url, alertmanager())
    assert answer["incident"] == 2  # a day later it is news: a new incident
    assert len(roots(intake)) == 2  # type: ignore[arg-type]


async def test_an_acknowledged_incident_stays_open_for_a_person_when_the_source_resolves(
    intake: Intake,
) -> None:
    url = await intake.add("prom", "alertmanager")
    await intake.post(url, alertmanager())
    async with intake.ctx.sessions() as session:
        await incidents.acknowledge(session, incident_id=1, person="bob", at=intake.clock())
    await intake.post(url, alertmanager("resolved"))
    assert (await stored(intake, 1)).status is Status.OPEN
    assert "The source reports resolved; it was acknowledged" in thread_shown(intake)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("labels", "fallback", "pipeline", "severity"),
    [
        ({"pipeline": "daily growth", "severity": "warning"}, None, "growth-daily", "sev3"),  # an alias
        ({"pipeline": "Profit Pipeline", "severity": "info"}, None, "profit", "sev2"),  # a name
        ({"pipeline": ""}, "engagement", "engagement", "sev1"),  # the integration's own pipeline
    ],
)
async def test_routing_and_severity(
    intake: Intake, labels: dict[str, str], fallback: str | None, pipeline: str, severity: str
) -> None:
    url = await intake.add("prom", "alertmanager", pipeline=fallback)
    await intake.post(url, alertmanager(labels=labels))
    incident = await stored(intake, 1)
    assert (incident.pipeline, incident.severity) == (pipeline, severity)


async def test_an_integrations_severity_wins(intake: Intake) -> None:
    url = await intake.add("prom", "alertmanager", severity="sev3")
    await intake.post(url, alertmanager())
    assert (await stored(intake, 1)).severity == "sev3"


async def test_an_alert_no_pipeline_claims_goes_to_the_on_call_primary_with_its_labels(
    intake: Intake,
) -> None:
    url = await intake.add("prom", "alertmanager")
    status, _ = await intake.post(url, alertmanager(labels={"pipeline": "billing", "team": "payments"}))
    assert status == 202
    assert (await stored(intake, 1)).pipeline == "triage"
    said = thread_shown(intake)  # type: ignore[arg-type]
    assert "No pipeline claims this alert (it names `billing`" in said
    assert f"<@{ALICE}>, you are on call: please triage it." in said
    assert "team=payments" in said


async def test_an_alert_to_triage_that_nobody_acknowledges_escalates_to_the_admins(intake: Intake) -> None:
    url = await intake.add("prom", "alertmanager")
    await intake.post(url, alertmanager(labels={"pipeline": "billing"}))  # critical: sev1
    client = make_client(intake.ctx.settings)
    intake.clock.advance(minutes=intake.ctx.settings.escalation_minutes_sev1 - 1)
    assert await escalate_due(intake.ctx, client, now=intake.clock()) == []
    intake.clock.advance(minutes=2)
    assert await escalate_due(intake.ctx, client, now=intake.clock()) == [1]
    assert (await stored(intake, 1)).level == 1
    escalated = intake.fake.of("chat.postMessage")[-1].args["text"]
    assert "admins" in escalated and f"<@{ALICE}>" in escalated and f"<@{DAVID}>" in escalated


async def test_grafanas_documented_payload_is_taken(intake: Intake) -> None:
    url = await intake.add("grafana", "alertmanager")
    status, answer = await intake.post(url, GRAFANA)
    assert status == 202 and answer["incident"] == 1
    incident = await stored(intake, 1)
    assert incident.pipeline == "profit" and incident.summary == "This alert was triggered for zone us-1"
    assert "https://myrunbook.com/runbook/1234" in thread_shown(intake)  # type: ignore[arg-type]


async def test_alert_text_is_shown_as_written_and_mentions_nobody(intake: Intake) -> None:
    url = await intake.add("prom", "alertmanager")
    loud = "@channel <!here> <@U0BOB0001> <!subteam^S0DATA001> *bold*"
    await intake.post(
        url, alertmanager(labels={"team": loud}, annotations={"summary": loud, "description": loud})
    )
    for call in intake.fake.of("chat.postMessage"):
        sent = str(call.args.get("blocks"))
        assert "<!here>" not in sent and "<!subteam^S0DATA001>" not in sent and "@channel" not in sent
    shown = "\n".join(" ".join(lines(c.args["blocks"])) for c in intake.fake.of("chat.postMessage"))
    assert loud in shown  # shown as written, each part inert


async def test_slack_failing_delays_the_thread_and_the_sweep_posts_it_once(intake: Intake) -> None:
    intake.fake.fail("chat.postMessage", 429)
    intake.fake.fail("chat.postMessage", 500, times=10)
    url = await intake.add("prom", "alertmanager")
    status, answer = await intake.post(url, alertmanager())
    assert status == 202 and answer["incident"] == 1  # stored and answered, Slack or not
    assert (await stored(intake, 1)).ts is None
    intake.fake.failures.clear()
    start = len(intake.fake.calls)
    client = make_client(intake.ctx.settings)
    for _ in range(3):
        await escalate_due(intake.ctx, client, now=intake.clock())
    posted = intake.fake.calls[start:]
    assert [c.args["text"] for c in posted if not c.args.get("thread_ts")] == [
        "Incident #1: Growth Pipeline (sev1)"
    ]
    assert (await stored(intake, 1)).ts is not None
    assert str([c.args["blocks"] for c in posted]).count("Alert from prom") == 1
