"""The schedule engine: pure functions over plain values; time is always an argument."""

from bot.core.schedule.holiday_calendar import CountryCalendar
from bot.core.schedule.holidays import holiday_duties
from bot.core.schedule.resolve import Resolution, resolve, who
from bot.core.schedule.rotation import handoff_instant, shift_at, shifts

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
