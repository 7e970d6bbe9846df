"""When a pipeline's job must have reported, and whether it is late. Pure: time and the holiday
calendar are arguments.

A heartbeat `daily by 06:00` has a deadline at 06:00 on the team's wall clock each day (each
business day with `business_days`: weekends and the calendar's holidays have none). A deadline is
met by a report within the period before it, shifted by the grace: for a daily 06:00 with 30 minutes
of grace, a report in (yesterday 06:30, today 06:30]. So a job that ran late yesterday does not count
for today, and a Monday deadline after a weekend off needs a report since Sunday 06:30.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.schedule.model import HolidayCalendar
from bot.core.schedule.rotation import wall_to_instant

Every = Literal["hourly", "daily", "weekly"]
PERIOD: dict[str, timedelta] = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
}
HORIZON = 45  # days searched for a deadline: more than any run of holidays and weekends


@dataclass(frozen=True)
class HeartbeatRule:
    every: Every
    by: time  # the wall time; for hourly, only its minutes count
    weekday: int  # weekly only: 0 is Monday
    business_days: bool
    grace: timedelta


def _is_day_off(day: date, calendar: HolidayCalendar) -> bool:
    return day.weekday() >= 5 or any(h.day == day for h in calendar.holidays_in(day.year))


def _on(rule: HeartbeatRule, day: date, zone: ZoneInfo, calendar: HolidayCalendar) -> list[datetime]:
    """The deadlines of one local day, earliest first."""
    if rule.business_days and _is_day_off(day, calendar):
        return []
    if rule.every == "weekly" and day.weekday() != rule.weekday:
        return []
    hourly = rule.every == "hourly"
    times = [time(hour, rule.by.minute) for hour in range(24)] if hourly else [rule.by]
    instants = (wall_to_instant(datetime.combine(day, t), zone) for t in times)
    return sorted(set(instants))


def _days(start: date, step: int) -> Iterator[date]:
    for n in range(HORIZON):
        yield start + timedelta(days=n * step)


def latest_deadline(
    rule: HeartbeatRule, zone: str, calendar: HolidayCalendar, at: datetime
) -> datetime | None:
    """The last deadline at or before `at`; None when none falls within the horizon."""
    tz = ZoneInfo(zone)
    for day in _days(at.astimezone(tz).date(), -1):
        found = [d for d in _on(rule, day, tz, calendar) if d <= at]
        if found:
            return found[-1]
    return None


def next_deadline(rule: HeartbeatRule, zone: str, calendar: HolidayCalendar, at: datetime) -> datetime | None:
    """The first deadline after `at`; None when none falls within the horizon."""
    tz = ZoneInfo(zone)
    for day in _days(at.astimezone(tz).date(), 1):
        found = [d for d in _on(rule, day, tz, calendar) if d > at]
        if found:
            return found[0]
    return None


def missed(
    rule: HeartbeatRule,
    zone: str,
    calendar: HolidayCalendar,
    last_report: datetime | None,
    now: datetime,
    *,
    watched_since: datetime | None = None,
) -> datetime | None:
    """The deadline a pipeline is late for at `now` (past it and its grace with no report in its
    window), else None. Before the first report, watching starts at `watched_since` (when its
    heartbeat URL was made): a job that never reported is late for the first deadline after that."""
    deadline = latest_deadline(rule, zone, calendar, now - rule.grace)
    if deadline is None:
        return None
    if last_report is None:
        return deadline if watched_since is not None and deadline > watched_since else None
    window_opens = deadline + rule.grace - PERIOD[rule.every]
    return deadline if last_report <= window_opens else None
