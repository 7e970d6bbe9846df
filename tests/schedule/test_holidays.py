"""Holiday duty: the week's backup covers, balanced over each calendar year, pins respected."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from bot.core.schedule import CountryCalendar, holiday_duties
from bot.core.schedule.model import Absence, Holiday, Rotation, ScheduleInputs, Unit
from tests.schedule.examples import US, WEEK5, WEEK5_PINS, WEEK6

# Worked out from the rules: week k (from Monday 2026-01-05) has primary members[k % 4]. The big days
# come first (Thanksgiving to david, Christmas to alice: nobody had one yet, the week's backup); the
# other days go to the fewest of the year, ties to the week's backup, then rotation order after the
# primary. Independence Day and its observed Friday are one holiday.
WEEK6_2026 = {
    date(2026, 1, 19): "bob",  # MLK Day, week 2 carol/david: bob has none, david and alice one
    date(2026, 2, 16): "david",
    date(2026, 5, 25): "carol",
    date(2026, 6, 19): "alice",
    date(2026, 7, 3): "carol",  # Independence Day observed: carol covers both days, counted once
    date(2026, 7, 4): "carol",
    date(2026, 9, 7): "bob",
    date(2026, 10, 12): "bob",
    date(2026, 11, 11): "carol",
    date(2026, 11, 26): "david",  # Thanksgiving, week 46 carol/david
    date(2026, 12, 25): "alice",  # Christmas, week 50 carol/david
}
# 2027 follows from 2026: New Year's Day to carol (no big day yet), Thanksgiving not to david again,
# and nobody covers the same ordinary holiday as in 2026.
WEEK6_2027 = {
    date(2027, 1, 1): "carol",
    date(2027, 1, 18): "alice",
    date(2027, 2, 15): "alice",
    date(2027, 5, 31): "david",
    date(2027, 6, 18): "bob",
    date(2027, 6, 19): "bob",
    date(2027, 7, 4): "david",
    date(2027, 7, 5): "david",
    date(2027, 9, 6): "carol",
    date(2027, 10, 11): "carol",
    date(2027, 11, 11): "bob",
    date(2027, 11, 25): "bob",
    date(2027, 12, 24): "david",  # Christmas observed, with Christmas Day: david's first big day since 2026
    date(2027, 12, 25): "david",
    date(2027, 12, 31): "bob",  # New Year's Day 2028 observed: planned, and counted, with 2028
}


def inputs(**kwargs: object) -> ScheduleInputs:
    return ScheduleInputs(calendar=US, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("year", "expected"), [(2026, WEEK6_2026), (2027, WEEK6_2027)])
def test_week6_us_holidays(year: int, expected: dict[date, str]) -> None:
    # The weekend holiday and its observed day are planned together, counted once (see same_as).
    duties = holiday_duties(WEEK6, year, inputs())
    assert {d.holiday.day: d.person for d in duties} == expected


@pytest.mark.parametrize(
    ("year", "counts"),
    [
        (2026, {"alice": 2, "bob": 3, "carol": 3, "david": 2}),
        (2027, {"alice": 2, "bob": 3, "carol": 3, "david": 3}),
    ],
)
def test_week6_counts(year: int, counts: dict[str, int]) -> None:
    duties = holiday_duties(WEEK6, year, inputs())
    assert Counter(d.person for d in duties if d.same_as is None) == counts


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_counts_differ_by_at_most_one(year: int) -> None:
    counts = Counter(d.person for d in holiday_duties(WEEK6, year, inputs()) if d.same_as is None)
    assert set(counts) == set(WEEK6.members)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_the_cover_is_never_the_weeks_primary() -> None:
    for duty in holiday_duties(WEEK6, 2026, inputs()):
        primary = WEEK6.members[((duty.holiday.day - date(2026, 1, 5)).days // 7) % 4]
        assert duty.person != primary


# Week k from Monday 2025-12-29 has primary members[k % 4]. The pins count from the start of the year
# (alice 2, bob 1, charlie 1, david 2; the pin on the observed Friday covers Independence Day too);
# the other days go to the fewest so far.
WEEK5_2026 = WEEK5_PINS | {
    date(2026, 1, 19): "bob",  # week 3 david/alice: bob and charlie have one, bob comes first after david
    date(2026, 2, 16): "charlie",  # week 7 david/alice: charlie alone has one
    date(2026, 6, 19): "bob",  # week 24 alice/bob: the backup
    date(2026, 7, 4): "bob",  # with its observed Friday, pinned to bob
    date(2026, 10, 12): "charlie",  # week 41 bob/charlie: the backup
    date(2026, 11, 11): "david",  # week 45 bob/charlie: alice and david have two, the balance
}


def test_week5_pins_win_and_the_rest_balances() -> None:
    duties = holiday_duties(WEEK5, 2026, inputs(pinned=WEEK5_PINS))
    assert {d.holiday.day: d.person for d in duties} == WEEK5_2026
    assert {d.holiday.day for d in duties if d.pinned} == set(WEEK5_PINS)
    assert sorted(Counter(d.person for d in duties if d.same_as is None).values()) == [2, 3, 3, 3]


def test_a_pin_for_someone_outside_the_rotation_is_ignored() -> None:
    duties = holiday_duties(WEEK6, 2026, inputs(pinned={date(2026, 11, 26): "zed"}))
    thanksgiving = next(d for d in duties if d.holiday.day == date(2026, 11, 26))
    assert thanksgiving.person in WEEK6.members and not thanksgiving.pinned


def test_nobody_covers_while_away() -> None:
    away = Absence("david", datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    duties = holiday_duties(WEEK6, 2026, inputs(absences=[away]))
    thanksgiving = next(d for d in duties if d.holiday.day == date(2026, 11, 26))
    assert thanksgiving.person not in ("david", "carol")  # away, and the week's primary


def test_nobody_available_is_reported() -> None:
    rotation = Rotation("r", ("a", "b"), "UTC", date(2026, 1, 5))
    away = Absence("b", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    duties = holiday_duties(rotation, 2026, inputs(absences=[away]))
    thanksgiving = next(d for d in duties if d.holiday.day == date(2026, 11, 26))
    assert thanksgiving.person is None


class Days:
    """A calendar of chosen days."""

    def __init__(self, *days: date) -> None:
        self.days = days

    def holidays_in(self, year: int) -> list[Holiday]:
        return [Holiday(d, f"day {d.day}") for d in self.days if d.year == year]


def test_a_duty_moves_along_a_chain_when_the_greedy_pass_leaves_a_spread_of_two() -> None:
    # Daily a, b, c from 2026-03-02. Greedy alone: day 1 (b's) -> c, the backup; days 3, 6 and 9 are
    # a's -> b, b, c; a ends with none while b and c have two. Giving day 1 to a balances it.
    rotation = Rotation("r", ("a", "b", "c"), "UTC", date(2026, 3, 2), unit=Unit.DAILY)
    calendar = Days(*(date(2026, 3, 2 + offset) for offset in (1, 3, 6, 9)))
    duties = holiday_duties(rotation, 2026, ScheduleInputs(calendar=calendar))
    assert [(d.holiday.day.day, d.person) for d in duties] == [(3, "a"), (5, "b"), (8, "b"), (11, "c")]


def test_company_days_are_holidays() -> None:
    calendar = CountryCalendar("US", extra=[Holiday(date(2026, 12, 24), "Company day")])
    days = {h.day: h.name for h in calendar.holidays_in(2026)}
    assert days[date(2026, 12, 24)] == "Company day"
    assert date(2026, 12, 24) in {
        d.holiday.day for d in holiday_duties(WEEK6, 2026, ScheduleInputs(calendar=calendar))
    }


def test_calendar_days_are_sorted_with_observed_days_and_joined_names() -> None:
    calendar = CountryCalendar("US", extra=[Holiday(date(2026, 12, 25), "Company party")])
    days = calendar.holidays_in(2026)
    assert [d.day for d in days] == sorted({d.day for d in days})
    names = {d.day: d.name for d in days}
    assert names[date(2026, 7, 3)] == "Independence Day (observed)"
    assert names[date(2026, 12, 25)] == "Christmas Day; Company party"


def test_unknown_country_or_subdivision() -> None:
    with pytest.raises(ValueError, match="unknown holiday country 'XX'"):
        CountryCalendar("XX")
    with pytest.raises(ValueError, match="unknown subdivision 'ZZ'"):
        CountryCalendar("US", "ZZ")


def test_big_days_go_where_the_year_can_still_even_out() -> None:
    # Daily, five people from 17 February 2026: m2 is the primary on every holiday but Christmas, so
    # Christmas goes to m2, or the year ends at 2, 2, 2, 2 and 0.
    members = ("m0", "m1", "m2", "m3", "m4")
    pairs = {m: members[(i + 2) % 5] for i, m in enumerate(members)}
    rotation = Rotation(
        "r", members, "America/New_York", date(2026, 2, 17), unit=Unit.DAILY, backup_pairs=pairs
    )
    rotation = replace(rotation, handoff_time=time(0))
    duties = holiday_duties(rotation, 2026, inputs())
    counts = Counter(dict.fromkeys(members, 0))
    counts.update(d.person for d in duties if d.same_as is None)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert next(d.person for d in duties if d.holiday.day == date(2026, 12, 25)) == "m2"
