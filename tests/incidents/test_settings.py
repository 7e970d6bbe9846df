"""The incident settings: the channel threads go to and the escalation waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.jobs.incidents import policy_of
from bot.settings import Settings


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_escalation_waits_default_to_5_15_60_minutes() -> None:
    policy = policy_of(make())
    assert [policy.wait(s) for s in ("sev1", "sev2", "sev3")] == [
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(minutes=60),
    ]
    assert policy_of(make(escalation_minutes_sev1=2)).wait("sev1") == timedelta(minutes=2)


def test_escalation_wait_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        make(escalation_minutes_sev2=0)


@pytest.mark.parametrize(
    ("given", "used"), [("", None), ("#incidents", "#incidents"), ("C0INCIDENT", "C0INCIDENT")]
)
def test_incidents_channel_setting(given: str, used: str | None) -> None:
    assert make(incidents_channel=given).incidents_channel == used


def test_incidents_channel_must_be_a_channel() -> None:
    with pytest.raises(ValidationError, match="is not a channel"):
        make(incidents_channel="incidents")
