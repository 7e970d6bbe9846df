"""The example teams' rotations as the schedule rules see them, and the US holiday calendar."""

from __future__ import annotations

from datetime import date

from bot.core.schedule import CountryCalendar
from bot.core.schedule.model import Rotation

US = CountryCalendar("US")
# Week 6: a new shift each Monday from 5 Jan 2026; Week 5: from Monday 29 Dec 2025.
WEEK6 = Rotation("data-oncall", ("alice", "bob", "carol", "david"), "America/New_York", date(2026, 1, 5))
WEEK5 = Rotation("data-oncall", ("alice", "bob", "charlie", "david"), "America/New_York", date(2025, 12, 29))
# The holiday covers the Week 5 team file pins (examples/week5-team.yaml).
WEEK5_PINS = {
    date(2026, 1, 1): "david",
    date(2026, 5, 25): "alice",
    date(2026, 7, 3): "bob",
    date(2026, 9, 7): "charlie",
    date(2026, 11, 26): "david",
    date(2026, 12, 25): "alice",
}
