"""Block Kit for reminders: the DM before a shift, and the post before a holiday."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.team import Person
from bot.features.handoff.reminders import HolidayNotice, ShiftReminder
from bot.messages.common import context, escape, section
from bot.messages.oncall import who
from bot.messages.timefmt import day, slack_time

Blocks = list[dict[str, Any]]


def shift_reminder_blocks(reminder: ShiftReminder) -> Blocks:
    zone = reminder.rotation.timezone
    spans = " and ".join(
        f"from {slack_time(start, zone)} to {slack_time(end, zone)}" for start, end in reminder.turn.spans
    )
    return [
        section(
            f":wave: Heads-up: you are *{reminder.turn.role.value}* on call for "
            f"*{escape(reminder.rotation.name)}* {spans}."
        ),
        context("Can't make it? `/oncall me` shows your shifts; ask a teammate to swap."),
    ]


def holiday_notice_blocks(notice: HolidayNotice, people: Mapping[str, Person]) -> Blocks:
    holiday = notice.duty.holiday
    cover = who(notice.duty.person, people)
    backup = f" {who(notice.backup, people)} is backup." if notice.backup else ""
    return [
        section(
            f":palm_tree: Tomorrow, {day(holiday.day)}, is {escape(holiday.name)}. "
            f"{cover} covers *{escape(notice.rotation.name)}* for the day.{backup}"
        )
    ]
