"""Reminders: a direct message to the incoming primary and backup the working day before their
shift, and a post the day before each holiday naming who covers it and who is backup that day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.holders import Turn, turns
from bot.core.schedule import resolve, shifts
from bot.core.schedule.model import HolidayDuty, Role, Rotation
from bot.core.schedule.rotation import wall_to_instant
from bot.features.oncall.views import TeamView, holidays_of_year, schedule_inputs

LOOKAHEAD = timedelta(days=10)  # far enough to reach the working day before any shift over a long weekend


@dataclass(frozen=True)
class ShiftReminder:
    rotation: Rotation
    shift_start: datetime
    turn: Turn  # the person's time in the role over the shift, holiday covers aside
    send_at: datetime

    @property
    def key(self) -> str:
        day = self.shift_start.astimezone(ZoneInfo(self.rotation.timezone)).date()
        return f"reminder:{self.rotation.name}:{day.isoformat()}:{self.turn.role.value}:{self.turn.person}"


@dataclass(frozen=True)
class HolidayNotice:
    rotation: Rotation
    channel: str
    duty: HolidayDuty
    send_at: datetime
    backup: str | None  # who is backup while the cover takes the day (often a stand-in)

    @property
    def key(self) -> str:
        return f"holiday:{self.rotation.name}:{self.duty.holiday.day.isoformat()}"


def working_day_before(day: date, days_off: set[date]) -> date:
    """The last day before `day` that is neither a weekend nor a team holiday."""
    before = day - timedelta(days=1)
    while before.weekday() >= 5 or before in days_off:
        before -= timedelta(days=1)
    return before


def _at_handoff_time(rotation: Rotation, day: date) -> datetime:
    return wall_to_instant(datetime.combine(day, rotation.handoff_time), ZoneInfo(rotation.timezone))


async def shift_reminders(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime
) -> list[ShiftReminder]:
    """Reminders whose sending time falls in (since, until], for shifts as they stand now: to each
    person holding a role over the shift outside holiday covers (those are told the day before)."""
    found = []
    for rotation in view.rotations.values():
        tz = ZoneInfo(rotation.timezone)
        for shift in shifts(rotation, since, until + LOOKAHEAD):
            local_day = shift.start.astimezone(tz).date()
            days_off = {
                h.day
                for year in {local_day.year - 1, local_day.year}
                for h in view.calendar.holidays_in(year)
            }
            send_at = _at_handoff_time(rotation, working_day_before(local_day, days_off))
            if not since < send_at <= until:
                continue
            inputs = await schedule_inputs(
                session, view=view, rotation=rotation, start=shift.start, end=shift.end
            )
            resolution = resolve(rotation, shift.start, shift.end, inputs)
            for turn in turns(resolution.segments, shift.start, shift.end):
                found.append(ShiftReminder(rotation, shift.start, turn, send_at))
    return found


async def holiday_notices(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime
) -> list[HolidayNotice]:
    """Posts the day before each holiday whose sending time falls in (since, until]."""
    found = []
    for year in range(since.year, (until + timedelta(days=2)).year + 1):
        for rotation, duties in await holidays_of_year(session, year=year, view=view):
            for duty in duties:
                send_at = _at_handoff_time(rotation, duty.holiday.day - timedelta(days=1))
                if since < send_at <= until:
                    backup = await _backup_on(session, view=view, rotation=rotation, day=duty.holiday.day)
                    channel = view.config(rotation.name).channel
                    found.append(HolidayNotice(rotation, channel, duty, send_at, backup))
    return found


async def _backup_on(session: AsyncSession, *, view: TeamView, rotation: Rotation, day: date) -> str | None:
    """The backup at noon of `day`, as the schedule stands: the holiday's shift is the one at noon."""
    noon = wall_to_instant(datetime.combine(day, time(12)), ZoneInfo(rotation.timezone))
    moment = timedelta(minutes=1)
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=noon, end=noon + moment)
    segment = resolve(rotation, noon, noon + moment, inputs).at(noon, Role.BACKUP)
    return segment.person if segment else None
