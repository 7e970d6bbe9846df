"""Times in messages: Slack shows each reader their own time zone; the fallback names the zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def slack_time(when: datetime, zone: str) -> str:
    """A date token Slack renders in the reader's zone; other clients see the time in `zone`."""
    fallback = when.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %Z")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def span(start: datetime, end: datetime, zone: str) -> str:
    return f"{slack_time(start, zone)} → {slack_time(end, zone)}"


def day(value: date) -> str:
    return value.strftime("%a %d %b %Y")
