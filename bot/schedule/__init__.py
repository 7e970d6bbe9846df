"""The schedule engine: pure functions over plain values; time is always an argument."""

from bot.schedule.holiday_calendar import CountryCalendar
from bot.schedule.holidays import holiday_duties
from bot.schedule.resolve import Resolution, resolve, who
from bot.schedule.rotation import handoff_instant, shift_at, shifts

__all__ = [
    "CountryCalendar",
    "Resolution",
    "handoff_instant",
    "holiday_duties",
    "resolve",
    "shift_at",
    "shifts",
    "who",
]
