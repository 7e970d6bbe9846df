"""Absences: when the channel is asked for a volunteer, and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.schedule.model import Reason, Role, Segment
from bot.services.absences import AbsenceRecorded, Cover
from bot.services.volunteer_calls import volunteer_offers
from bot.teamfile.schema import Person

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
BOB = Person(id="bob", name="Bob")


def recorded(starts_in: timedelta, *roles: Role) -> AbsenceRecorded:
    start = NOW + starts_in
    end = start + timedelta(days=2)
    covers = [
        Cover(
            "ops",
            Segment("ops", role, "carol", start, end, Reason.ABSENCE),
            Segment("ops", role, "bob", start, end, Reason.ROTATION),
        )
        for role in roles
    ]
    return AbsenceRecorded(7, BOB, start, start + timedelta(days=2), covers)


@pytest.mark.parametrize(
    ("starts_in", "deadline"),
    [
        (timedelta(hours=6), NOW + timedelta(hours=6)),  # open until the absence starts
        (timedelta(days=5), NOW + timedelta(hours=24)),  # but at most a day
    ],
)
def test_backup_stretches_are_offered_until_the_deadline(starts_in: timedelta, deadline: datetime) -> None:
    [offer] = volunteer_offers(recorded(starts_in, Role.PRIMARY, Role.BACKUP), NOW)["ops"]
    assert (offer.absence, offer.start, offer.deadline) == (7, NOW + starts_in, deadline)


def test_no_call_once_the_absence_has_started_or_without_a_backup_to_fill() -> None:
    assert volunteer_offers(recorded(-timedelta(hours=1), Role.BACKUP), NOW) == {}
    assert volunteer_offers(recorded(timedelta(days=1), Role.PRIMARY), NOW) == {}
