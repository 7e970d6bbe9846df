"""Absences: when the channel is asked for a volunteer, and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.schedule.model import Reason, Role, Segment
from bot.core.team import Person
from bot.features.absences.service import AbsenceRecorded, Cover
from bot.features.absences.volunteers import volunteer_offers

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
BOB = Person(id="bob", name="Bob")


def recorded(starts_in: timedelta, *roles: Role, lasting: timedelta = timedelta(days=2)) -> AbsenceRecorded:
    start = NOW + starts_in
    end = start + lasting
    covers = [
        Cover(
            "ops",
            Segment("ops", role, "carol", start, end, Reason.ABSENCE),
            Segment("ops", role, "bob", start, end, Reason.ROTATION),
        )
        for role in roles
    ]
    return AbsenceRecorded(7, BOB, start, end, covers)


@pytest.mark.parametrize(
    ("starts_in", "lasting", "deadline"),
    [
        (timedelta(hours=6), timedelta(days=2), NOW + timedelta(hours=6)),  # open until the absence starts
        (timedelta(days=5), timedelta(days=2), NOW + timedelta(hours=24)),  # but at most a day
        (timedelta(minutes=10), timedelta(days=2), NOW + timedelta(hours=1)),  # and at least an hour
        (timedelta(0), timedelta(days=2), NOW + timedelta(hours=1)),  # under way: counted from now
        (timedelta(0), timedelta(minutes=30), NOW + timedelta(minutes=30)),  # never past the stretch
    ],
)
def test_backup_stretches_are_offered_until_the_deadline(
    starts_in: timedelta, lasting: timedelta, deadline: datetime
) -> None:
    [offer] = volunteer_offers(recorded(starts_in, Role.PRIMARY, Role.BACKUP, lasting=lasting), NOW)["ops"]
    assert (offer.absence, offer.start, offer.deadline) == (7, NOW + starts_in, deadline)


def test_no_call_without_a_backup_to_fill() -> None:
    assert volunteer_offers(recorded(timedelta(days=1), Role.PRIMARY), NOW) == {}
