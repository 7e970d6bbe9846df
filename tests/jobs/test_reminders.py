"""Reminders: the working day before a shift, skipping weekends and the team's holidays."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.jobs.reminders import ShiftReminder, working_day_before
from bot.schedule.model import Role, Rotation
from bot.slack.blocks.reminders import shift_reminder_blocks
from tests.slack.blocks_check import assert_valid_blocks

US_2026 = {date(2026, 11, 26), date(2026, 12, 25), date(2026, 12, 24), date(2026, 7, 3)}


@pytest.mark.parametrize(
    ("shift_day", "sent_on"),
    [
        (date(2026, 11, 23), date(2026, 11, 20)),  # a Monday shift: the Friday before
        (date(2026, 11, 25), date(2026, 11, 24)),  # midweek: the day before
        (date(2026, 11, 27), date(2026, 11, 25)),  # after Thanksgiving: the Wednesday
        (date(2026, 12, 28), date(2026, 12, 23)),  # after Christmas Eve and Day and a weekend
        (date(2026, 7, 6), date(2026, 7, 2)),  # after the observed Independence Day
    ],
)
def test_working_day_before(shift_day: date, sent_on: date) -> None:
    assert working_day_before(shift_day, US_2026) == sent_on


def test_reminder_message() -> None:
    ny = ZoneInfo("America/New_York")
    rotation = Rotation("data-oncall", ("alice", "bob"), "America/New_York", date(2026, 1, 5))
    start, end = datetime(2026, 11, 23, 9, tzinfo=ny), datetime(2026, 11, 30, 9, tzinfo=ny)
    reminder = ShiftReminder(
        rotation, "alice", Role.PRIMARY, start, end, datetime(2026, 11, 20, 9, tzinfo=ny)
    )
    blocks = shift_reminder_blocks(reminder)
    assert_valid_blocks(blocks)
    assert "*primary* on call for *data-oncall*" in str(blocks) and "Mon 23 Nov 09:00 EST" in str(blocks)
    assert reminder.key == "reminder:data-oncall:2026-11-23:primary:alice"
