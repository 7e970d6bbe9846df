"""The README's alert examples, taken from the README itself: its curl line and its Airflow
callbacks each reach the intake and open (and clear) the incident they promise."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

from bot.core.incidents.model import Status
from tests.slack.alert_intake import Intake
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.conftest import ROOT
from tests.slack.test_alert_intake_e2e import stored

README = (ROOT / "README.md").read_text()


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


async def test_the_readme_curl_line_opens_an_incident_on_its_pipeline(intake: Intake) -> None:
    [line] = [block for block in code_blocks("sh") if "curl" in block and "dedup_key" in block]
    payload = json.loads(re.search(r"-d '(\{.*?\})'", line).group(1))  # type: ignore[union-attr]
    url = await intake.add("jobs", "generic")
    status, answer = await intake.post(url, payload)
    assert status == 202
    incident = await stored(intake, answer["incident"])
    assert (incident.pipeline, incident.summary) == (payload["pipeline"], payload["summary"])


async def test_the_readme_airflow_callbacks_open_and_clear_an_incident(intake: Intake) -> None:
    [dag] = [block for block in code_blocks("python") if "on_failure_callback" in block]
    sent: list[dict[str, Any]] = []
    requests = SimpleNamespace(post=lambda url, json, timeout: sent.append(json))
    scope: dict[str, Any] = {"requests": requests, "JOBS_URL": "unused: the test posts what was sent"}
    exec(dag, scope)  # the README's own code, as a DAG file runs it
    task = SimpleNamespace(
        dag_id="growth_daily", task_id="aggregate", log_url="https://airflow.example.com/log"
    )
    context = {"task_instance": task}
    url = await intake.add("jobs", "generic")

    scope["default_args"]["on_failure_callback"](context)
    status, answer = await intake.post(url, sent[-1])
    assert status == 202
    incident = await stored(intake, answer["incident"])
    assert (incident.pipeline, incident.summary) == ("growth-daily", "growth_daily.aggregate failed")
    assert incident.link == task.log_url

    scope["default_args"]["on_success_callback"](context)
    status, _ = await intake.post(url, sent[-1])
    assert status == 202
    assert (await stored(intake, incident.id)).status is Status.RESOLVED
