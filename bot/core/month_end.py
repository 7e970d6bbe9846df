"""The month-end checklist: from N business days before month end, one checklist per
investor-facing pipeline, drawn from its runbook, and a daily reminder in its thread."""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.runbooks.parse import Runbook
from bot.core.schedule.rotation import wall_to_instant

FALLBACK_SECTIONS = ("SLAs", "On-call actions")


def is_business_day(day: date, days_off: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in days_off


def month_end_window(year: int, month: int, days_off: Collection[date], business_days: int) -> list[date]:
    """The last `business_days` business days of a month, oldest first."""
    day = date(year, month, calendar.monthrange(year, month)[1])
    window: list[date] = []
    while len(window) < business_days and day.month == month:
        if is_business_day(day, days_off):
            window.append(day)
        day -= timedelta(days=1)
    return sorted(window)


def checklist_items(runbook: Runbook) -> list[str]:
    """The runbook's month-end checklist bullets, else its SLA and on-call action bullets."""
    checklist = runbook.section("Month-end checklist")
    sections = [checklist] if checklist else [s for name in FALLBACK_SECTIONS if (s := runbook.section(name))]
    items = []
    for part in sections:
        for line in part.body.splitlines():
            if bullet := re.match(r"^\s*(?:[-*]|\d+\.)\s+(.+)$", line):
                items.append(re.sub(r"\*\*(.+?)\*\*", r"\1", bullet[1]).strip()[:290])
    return items[:10]  # a checkboxes element holds at most ten options


@dataclass(frozen=True)
class MonthEndDay:
    """A business day of a month's closing window: the first posts the checklists, the later ones
    remind in their threads (and post a checklist still missing, as after the bot was down)."""

    period: str  # 2026-11
    day: date
    send_at: datetime
    last_send_at: datetime  # the window's last day's: until then a missing checklist can still go out


def window_days(
    *, since: datetime, until: datetime, zone: str, at: time, days_off: Collection[date], business_days: int
) -> list[MonthEndDay]:
    """Window days whose sending time (`at` on the zone's clock) falls in (since, until]."""
    tz = ZoneInfo(zone)
    found = []
    first_month = since.astimezone(tz).replace(day=1).date()
    last_month = until.astimezone(tz).date()
    month = first_month
    while month <= last_month:
        window = month_end_window(month.year, month.month, days_off, business_days)
        send_times = [wall_to_instant(datetime.combine(day, at), tz) for day in window]
        for day, send_at in zip(window, send_times, strict=True):
            if since < send_at <= until:
                found.append(MonthEndDay(f"{month:%Y-%m}", day, send_at, send_times[-1]))
        month = (month + timedelta(days=32)).replace(day=1)
    return found
