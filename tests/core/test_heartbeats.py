"""The heartbeat deadline rule: table cases around weekends and holidays, and its properties."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.heartbeats import PERIOD, HeartbeatRule, latest_deadline, missed, next_deadline
from bot.core.schedule.holiday_calendar import CountryCalendar

US = CountryCalendar("US")
NY = "America/New_York"
TZ = ZoneInfo(NY)
DAILY_BUSINESS = HeartbeatRule("daily", time(6, 0), 0, True, timedelta(minutes=30))


def ny(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("last_report", "now", "late_for"),
    [
        # Thursday 26 Nov 2026 is Thanksgiving: no deadline, so no incident on the holiday.
        (ny(2026, 11, 25, 5, 50), ny(2026, 11, 26, 12, 0), None),
        # Friday's deadline is the next one: Wednesday's report does not cover it.
        (ny(2026, 11, 25, 5, 50), ny(2026, 11, 27, 6, 31), ny(2026, 11, 27, 6, 0)),
        # Within the grace it is not late yet.
        (ny(2026, 11, 25, 5, 50), ny(2026, 11, 27, 6, 29), None),
        # The weekend has no deadline; Monday's needs a report since Sunday 06:30.
        (ny(2026, 12, 4, 5, 52), ny(2026, 12, 6, 23, 0), None),
        (ny(2026, 12, 4, 5, 52), ny(2026, 12, 7, 6, 31), ny(2026, 12, 7, 6, 0)),
        (ny(2026, 12, 7, 5, 40), ny(2026, 12, 7, 6, 31), None),
        # A late run yesterday (06:10, within its grace) does not count for today.
        (ny(2026, 12, 8, 6, 10), ny(2026, 12, 9, 6, 31), ny(2026, 12, 9, 6, 0)),
        # Christmas Eve is no public holiday (the Week 6 team file adds it as a company one).
        (ny(2026, 12, 23, 5, 50), ny(2026, 12, 24, 7, 0), ny(2026, 12, 24, 6, 0)),
        # Never reported and no URL to report to: nothing is watched.
        (None, ny(2026, 12, 9, 12, 0), None),
    ],
)
def test_daily_business_day_deadlines(
    last_report: datetime | None, now: datetime, late_for: datetime | None
) -> None:
    assert missed(DAILY_BUSINESS, NY, US, last_report, now) == late_for


@pytest.mark.parametrize(
    ("watched_since", "now", "late_for"),
    [
        # Its URL was made Monday morning and it never reported: late for Tuesday's deadline.
        (ny(2026, 12, 7, 10, 0), ny(2026, 12, 8, 6, 31), ny(2026, 12, 8, 6, 0)),
        (ny(2026, 12, 7, 10, 0), ny(2026, 12, 8, 6, 29), None),  # within the grace
        # Made after Tuesday's deadline: Wednesday's is its first.
        (ny(2026, 12, 8, 6, 10), ny(2026, 12, 8, 6, 45), None),
        (ny(2026, 12, 8, 6, 10), ny(2026, 12, 9, 6, 31), ny(2026, 12, 9, 6, 0)),
        # Made the day before Thanksgiving: the holiday has no deadline, Friday does.
        (ny(2026, 11, 25, 9, 0), ny(2026, 11, 26, 12, 0), None),
        (ny(2026, 11, 25, 9, 0), ny(2026, 11, 27, 6, 31), ny(2026, 11, 27, 6, 0)),
    ],
)
def test_a_job_that_never_reported_is_late_from_its_first_deadline_after_its_url_was_made(
    watched_since: datetime, now: datetime, late_for: datetime | None
) -> None:
    assert missed(DAILY_BUSINESS, NY, US, None, now, watched_since=watched_since) == late_for


def test_next_deadline_skips_the_weekend_and_thanksgiving() -> None:
    assert next_deadline(DAILY_BUSINESS, NY, US, ny(2026, 11, 25, 7, 0)) == ny(2026, 11, 27, 6, 0)
    assert next_deadline(DAILY_BUSINESS, NY, US, ny(2026, 11, 27, 7, 0)) == ny(2026, 11, 30, 6, 0)


def test_hourly_and_weekly() -> None:
    hourly = HeartbeatRule("hourly", time(0, 15), 0, False, timedelta(minutes=5))
    assert next_deadline(hourly, NY, US, ny(2026, 12, 8, 10, 20)) == ny(2026, 12, 8, 11, 15)
    assert missed(hourly, NY, US, ny(2026, 12, 8, 10, 14), ny(2026, 12, 8, 11, 21)) == ny(2026, 12, 8, 11, 15)
    weekly = HeartbeatRule("weekly", time(9, 0), 2, False, timedelta(hours=1))
    assert next_deadline(weekly, NY, US, ny(2026, 12, 8, 10, 0)) == ny(2026, 12, 9, 9, 0)


rules = st.builds(
    HeartbeatRule,
    every=st.sampled_from(["hourly", "daily", "weekly"]),
    by=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    weekday=st.integers(0, 6),
    business_days=st.booleans(),
    grace=st.integers(0, 180).map(lambda m: timedelta(minutes=m)),
)
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(rule=rules, at=instants)
def test_deadlines_bracket_every_instant_and_fall_on_the_rule(rule: HeartbeatRule, at: datetime) -> None:
    before, after = latest_deadline(rule, NY, US, at), next_deadline(rule, NY, US, at)
    if rule.every == "weekly" and rule.business_days and rule.weekday >= 5:
        assert before is None and after is None  # a weekend day is never a business day
        return
    assert before is not None and after is not None
    assert before <= at < after
    assert next_deadline(rule, NY, US, before) == after  # nothing in between
    for deadline in (before, after):
        local = deadline.astimezone(TZ)
        if rule.business_days:
            assert local.weekday() < 5 and local.date() not in {h.day for h in US.holidays_in(local.year)}
        if rule.every != "hourly":
            assert local.time() >= rule.by  # at the wall time, or just after a spring-forward gap
        else:  # each hour at its minute, or at the hour a spring-forward gap jumps to
            assert local.minute in (rule.by.minute, 0)


@settings(max_examples=150, deadline=None)
@given(rule=rules, at=instants, since=st.integers(0, 60 * 24 * 10))
def test_a_report_within_the_period_before_the_last_deadline_is_never_late(
    rule: HeartbeatRule, at: datetime, since: int
) -> None:
    last = at - timedelta(minutes=since)
    late_for = missed(rule, NY, US, last, at)
    if late_for is None:
        return
    assert late_for + rule.grace <= at  # only past the grace
    assert last <= late_for + rule.grace - PERIOD[rule.every]  # nothing reported in its window
    assert missed(rule, NY, US, at, at) is None  # a report now is never late
