"""Holiday duty in words: why each cover, and the counts over a year or several."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.core.schedule.holidays import Tally
from bot.core.schedule.model import HolidayDuty


def duty_why(duty: HolidayDuty, name: Callable[[str], str] = str) -> str:
    """'big day: had no big holiday since Christmas Day 2026; not David, who covered it in 2026',
    with the holiday an observed day is of."""
    why = duty.why or ("pinned in the team file" if duty.pinned else "")
    if duty.spared is not None:
        year = (duty.same_as or duty.holiday.day).year
        why += f"; not {name(duty.spared)}, who covered it in {year - 1}"
    if duty.same_as is not None:
        return f"observed, with {duty.same_as:%a %d %b}: counts once" + (f"; {why}" if why else "")
    return why


def counts_text(tallies: Mapping[str, Tally], name: Callable[[str], str] = str) -> str:
    """'alice 3 (big 1), bob 2 (big 0)': holidays per member, and their weighted big days."""
    return ", ".join(f"{name(person)} {t.holidays} (big {t.big})" for person, t in tallies.items())


def not_started(rotation: str, year: int, since: int) -> str:
    """Why a year before the rotation's first has no holiday duty to show."""
    return f"{rotation} starts in {since}: it has no holiday duty in {year}"
