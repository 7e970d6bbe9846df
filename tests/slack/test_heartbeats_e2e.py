"""Heartbeats: a pipeline's job reports in; late past its grace it gets an incident, which its next
report resolves; no deadline falls on a weekend or a holiday for a business-days heartbeat."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.context import AppContext
from bot.core.incidents.model import Status
from bot.core.team import Heartbeat
from bot.delivery.slack_api import make_client
from bot.features.oncall.views import load_view
from bot.features.teamfile.service import import_team
from bot.jobs.heartbeats import sweep_heartbeats
from tests.incidents.fixtures import WEEK6
from tests.slack.alert_intake import Intake
from tests.slack.alert_intake import intake as intake  # the fixture
from tests.slack.conftest import BOB, CAROL, SlackDriver
from tests.slack.incident_calls import roots, thread_shown
from tests.slack.test_alert_intake_e2e import stored

NY = ZoneInfo("America/New_York")
DAILY = Heartbeat.model_validate({"every": "daily", "by": "06:00", "business_days": True, "grace": "30m"})


def ny(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=NY)  # type: ignore[misc]


@pytest.fixture
async def beating(intake: Intake) -> tuple[Intake, str]:
    """Growth must report by 06:00 on business days; the URL its job pings."""
    pipelines = [
        p.model_copy(update={"heartbeat": DAILY}) if p.key == "growth" else p for p in WEEK6.pipelines
    ]
    async with intake.ctx.sessions() as session:
        await import_team(
            session, team=WEEK6.model_copy(update={"pipelines": pipelines}), actor="test", source="import"
        )
        assert (
            next(p for p in (await load_view(session)).file.pipelines if p.key == "growth").heartbeat == DAILY
        )
    return intake, await intake.add("beat", "heartbeat", pipeline="growth")


async def ping(
    intake: Intake, url: str, at: datetime, path: str = "heartbeat", body: str = ""
) -> dict[str, object]:
    intake.clock.now = at
    status, answer = await intake.post(url.replace("/heartbeat", f"/{path}"), body)
    assert status == 202, answer
    return answer


async def sweep(intake: Intake, at: datetime) -> list[int]:
    return await sweep_heartbeats(intake.ctx, make_client(intake.ctx.settings), now=at)


async def test_late_past_its_grace_opens_one_incident_and_the_next_report_resolves_it(
    beating: tuple[Intake, str],
) -> None:
    intake, url = beating
    assert (await ping(intake, url, ny(2026, 12, 7, 5, 52)))["incident"] is None
    assert intake.fake.calls == []  # a report on time is silent
    assert await sweep(intake, ny(2026, 12, 8, 6, 29)) == []  # within the grace
    assert await sweep(intake, ny(2026, 12, 8, 6, 31)) == [1]
    incident = await stored(intake, 1)
    assert incident.summary == "growth has not reported since Mon 07 Dec 05:52"
    assert (incident.pipeline, incident.status) == ("growth", Status.OPEN)
    said = thread_shown(intake)  # type: ignore[arg-type]
    assert "It was due by Tue 08 Dec 06:00, with 30 min of grace." in said
    assert f"<@{BOB}>" in said and f"<@{CAROL}>" in said and "Runbook: Growth Pipeline" in said
    calls = len(intake.fake.calls)
    assert await sweep(intake, ny(2026, 12, 8, 6, 45)) == [] and len(intake.fake.calls) == calls  # once
    answer = await ping(intake, url, ny(2026, 12, 8, 7, 14))
    assert answer["incident"] == 1 and (await stored(intake, 1)).status is Status.RESOLVED
    assert "growth reported again Tue 08 Dec 07:14" in thread_shown(intake)  # type: ignore[arg-type]
    assert await sweep(intake, ny(2026, 12, 9, 6, 0)) == []
    assert len(roots(intake)) == 1  # type: ignore[arg-type]


async def test_a_job_that_never_reports_is_late_and_its_first_report_resolves_it(intake: Intake) -> None:
    intake.clock.now = ny(2026, 12, 7, 10, 0)  # the heartbeat URL is made Monday morning
    async with intake.ctx.sessions() as session:
        team = WEEK6.model_copy(
            update={"pipelines": [p.model_copy(update={"heartbeat": DAILY}) for p in WEEK6.pipelines]}
        )
        await import_team(session, team=team, actor="test", source="import")
    url = await intake.add("beat", "heartbeat", pipeline="growth")
    assert await sweep(intake, ny(2026, 12, 8, 6, 29)) == []
    assert await sweep(intake, ny(2026, 12, 8, 6, 31)) == [1]  # profit has no URL: nothing to watch
    incident = await stored(intake, 1)
    assert incident.summary == "growth has never reported since its heartbeat URL was made Mon 07 Dec 10:00"
    assert await sweep(intake, ny(2026, 12, 9, 6, 31)) == []  # still open: no second incident
    await ping(intake, url, ny(2026, 12, 9, 7, 0))
    assert (await stored(intake, 1)).status is Status.RESOLVED


async def test_no_deadline_on_thanksgiving_or_the_weekend(beating: tuple[Intake, str]) -> None:
    intake, url = beating
    await ping(intake, url, ny(2026, 11, 25, 5, 50))  # Wednesday
    assert await sweep(intake, ny(2026, 11, 26, 12, 0)) == []  # Thanksgiving
    assert await sweep(intake, ny(2026, 11, 27, 6, 31)) == [1]  # Friday: late
    await ping(intake, url, ny(2026, 11, 27, 6, 40))
    assert await sweep(intake, ny(2026, 11, 29, 23, 0)) == []  # Sunday
    assert await sweep(intake, ny(2026, 11, 30, 6, 31)) == [2]  # Monday, with no report since Friday


async def test_a_reported_failure_opens_an_incident_at_once(beating: tuple[Intake, str]) -> None:
    intake, url = beating
    answer = await ping(intake, url, ny(2026, 12, 8, 5, 0), path="fail", body="Spark job out of memory")
    assert answer["incident"] == 1
    assert (await stored(intake, 1)).summary == "growth reported a failure"
    assert "Spark job out of memory" in thread_shown(intake)  # type: ignore[arg-type]
    await ping(intake, url, ny(2026, 12, 8, 5, 30))
    assert (await stored(intake, 1)).status is Status.RESOLVED


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"grace": "soon"}, "is not a duration: write minutes or hours, like 30m or 2h"),
        ({"by": 630}, 'write the time in quotes, like "09:00"'),
        ({"every": "monthly"}, "Input should be 'hourly', 'daily' or 'weekly'"),
    ],
)
def test_a_bad_heartbeat_in_the_team_file_says_what_is_wrong(given: dict[str, object], said: str) -> None:
    with pytest.raises(ValidationError, match=said.replace("(", r"\(").replace(")", r"\)")):
        Heartbeat.model_validate(given)


async def test_runbook_and_oncall_show_the_last_report_and_the_next_deadline(
    slack: SlackDriver, ctx: AppContext, beating: tuple[Intake, str]
) -> None:
    intake, url = beating
    await ping(intake, url, ny(2026, 12, 8, 5, 52))  # the slack app's clock: Tuesday noon
    for command in ("/runbook", "/oncall"):
        shown = str((await slack.command(command, "growth"))["blocks"])
        assert ":heartbeat: Last reported" in shown and "Tue 08 Dec 05:52 EST" in shown
        assert (
            "next due by <!date^" in shown and "Wed 09 Dec 06:00 EST" in shown and "30 min of grace" in shown
        )
    assert ":heartbeat:" not in str((await slack.command("/runbook", "profit"))["blocks"])
