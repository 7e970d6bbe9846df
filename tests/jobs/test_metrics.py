"""The scheduler's figures in /metrics: escalations called, how long a due post waits, how late the
scheduler runs (read from the registry the /metrics route writes out)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from prometheus_client import REGISTRY

from bot.features.incidents import service as incidents
from tests.incidents.fixtures import KAFKA_DOWN
from tests.jobs.conftest import Clock, RitualsFor, Sessions
from tests.slack.fakeslack import FakeSlack

NY = ZoneInfo("America/New_York")
HANDOFF = datetime(2026, 11, 23, 9, tzinfo=NY)  # also the first day of the month-end week


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_timer_escalation_is_counted(rituals_for: RitualsFor, team: Sessions) -> None:
    declared_at = datetime(2026, 12, 8, 12, tzinfo=NY)
    async with team() as session:
        await incidents.declare(session, key="t-1", declaration=KAFKA_DOWN, at=declared_at)
    before = sample("oncall_escalations_total", severity="sev1")
    await rituals_for(Clock(declared_at + timedelta(minutes=5))).escalate()
    assert sample("oncall_escalations_total", severity="sev1") - before == 1


async def test_a_refused_handoff_is_held_and_waits_in_the_outbox(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    fake_slack.refusals["chat.postMessage"] = "not_in_channel"
    held = sample("oncall_posts_total", job="handoff", state="held")
    await rituals_for(Clock(HANDOFF + timedelta(minutes=30))).run_due()
    assert sample("oncall_posts_total", job="handoff", state="held") - held == 1
    assert sample("oncall_outbox_oldest_seconds") >= 30 * 60  # the handoff, due half an hour ago
    del fake_slack.refusals["chat.postMessage"]
    await rituals_for(Clock(HANDOFF + timedelta(minutes=50))).run_due()  # the hold is over: all sent
    assert sample("oncall_outbox_oldest_seconds") == 0


def test_the_lag_is_how_late_a_job_started(rituals_for: RitualsFor) -> None:
    planned = datetime(2026, 12, 8, 12, tzinfo=NY)
    rituals = rituals_for(Clock(planned + timedelta(seconds=42)))
    rituals.note_lag(JobSubmissionEvent(EVENT_JOB_SUBMITTED, "tick", "default", [planned]))
    assert sample("oncall_scheduler_lag_seconds") == 42
