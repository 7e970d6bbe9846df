"""A pipeline's heartbeat as `/oncall` and `/runbook` show it: its last report and next deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.heartbeats import HeartbeatRule, next_deadline
from bot.core.schedule.model import HolidayCalendar
from bot.core.team import WEEKDAYS, Pipeline
from bot.store import alerts as store


@dataclass(frozen=True)
class Freshness:
    last_report: datetime | None  # None before the first report
    next_deadline: datetime | None
    grace: timedelta
    zone: str


def rule_of(pipeline: Pipeline) -> HeartbeatRule | None:
    beat = pipeline.heartbeat
    if beat is None:
        return None
    return HeartbeatRule(beat.every, beat.by, WEEKDAYS.index(beat.weekday), beat.business_days, beat.grace)


async def freshness(
    session: AsyncSession, *, pipeline: Pipeline, zone: str, calendar: HolidayCalendar, now: datetime
) -> Freshness | None:
    """None when the pipeline has no heartbeat."""
    rule = rule_of(pipeline)
    if rule is None:
        return None
    last = await store.last_ping(session, pipeline.key)
    return Freshness(last, next_deadline(rule, zone, calendar, now), rule.grace, zone)
