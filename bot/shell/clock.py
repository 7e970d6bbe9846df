"""The shell's clock: the real time, or a moment the user chose to see what the bot does then."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

STEP = re.compile(r"^\+(\d{1,5})([mhd])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
YEARS = range(1970, 2201)  # beyond these no schedule question makes sense, and dates overflow
USAGE = (
    "Usage: clock [YYYY-MM-DDTHH:MM | +N(m|h|d) | now], e.g. `clock 2026-12-24T08:55` (your team's zone "
    "unless an offset is given), `clock +15m` to move it on, `clock now` for the real time again."
)


@dataclass
class ShellClock:
    """Callable like every clock of the app; `fixed` replaces the real time until reset."""

    real: Callable[[], datetime]
    zone: str
    fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or self.real()

    def set(self, typed: str) -> str:
        """Move the clock as typed; the time it shows now, or the usage."""
        typed = typed.strip()
        try:
            moved = self._moved(typed)
        except (ValueError, OverflowError):
            return USAGE
        if moved is not None and moved.year not in YEARS:
            return USAGE
        if typed:
            self.fixed = moved
        shown = self().astimezone(ZoneInfo(self.zone)).strftime("%a %d %b %Y %H:%M %Z")
        return f"The shell's clock: {shown}" + (", standing still" if self.fixed else " (the real time)")

    def _moved(self, typed: str) -> datetime | None:
        if typed in ("", "now"):
            return None
        if step := STEP.match(typed):
            return self() + timedelta(**{UNITS[step[2]]: int(step[1])})
        at = datetime.fromisoformat(typed)
        return (at if at.tzinfo else at.replace(tzinfo=ZoneInfo(self.zone))).astimezone(UTC)
