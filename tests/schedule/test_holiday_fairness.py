"""Holiday duty across the years: no repeats, big days spread over every run of years, pins win."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.schedule import CountryCalendar
from bot.core.schedule.holidays import holiday_key, holiday_years, tally
from bot.core.schedule.model import HolidayDuty, PastCover, Rotation, ScheduleInputs, Unit
from bot.core.schedule.rotation import shift_at, wall_to_instant, zone
from tests.schedule.examples import US, WEEK5, WEEK5_PINS, WEEK6

DE_BY = CountryCalendar("DE", "BY")
# Three people in Munich (Bavarian holidays), a new shift every morning at 08:00.
MUNICH = Rotation(
    "munich", ("alice", "bob", "carol"), "Europe/Berlin", date(2026, 1, 1), time(8), unit=Unit.DAILY
)
Years = dict[int, list[HolidayDuty]]


def primary_on(rotation: Rotation, day: date) -> str:
    noon = wall_to_instant(datetime.combine(day, time(12)), zone(rotation.timezone))
    plain = shift_at(rotation, noon)
    assert plain is not None
    return plain.primary


def occasions(years: Years) -> dict[tuple[str, int], list[HolidayDuty]]:
    """Each holiday with its observed day, by (name, the holiday's own year)."""
    found: dict[tuple[str, int], list[HolidayDuty]] = {}
    for duty in (d for duties in years.values() for d in duties):
        own = duty.same_as or duty.holiday.day
        if own.year not in years:  # observed on the last day of the years asked: next year's
            continue
        found.setdefault((holiday_key(duty.holiday.name), own.year), []).append(duty)
    return found


def eligible(rotation: Rotation, duties: list[HolidayDuty]) -> set[str]:
    """Who could cover the holiday (nobody is away in these tests): not a primary of its days."""
    return set(rotation.members) - {primary_on(rotation, d.holiday.day) for d in duties}


def big_loads(rotation: Rotation, years: Years, first: int, last: int) -> Counter[str]:
    counts = tally(rotation, {y: d for y, d in years.items() if first <= y <= last})
    return Counter({m: t.big for m, t in counts.items()})


def spread(loads: Counter[str]) -> int:
    return max(loads.values()) - min(loads.values())


def check_no_ordinary_repeats(rotation: Rotation, years: Years, *, ever: bool = False) -> None:
    """Nobody covers the same holiday two years running where someone else could; in a small team
    the year's count may need it (`ever` allows that), and the cover then says so."""
    held = occasions(years)
    for (key, year), duties in held.items():
        last = held.get((key, year - 1))
        if duties[0].weight or duties[0].pinned or last is None or last[0].pinned:
            continue
        if eligible(rotation, duties) - {last[0].person} and duties[0].person == last[0].person:
            assert ever and "to keep the year's counts within one" in duties[0].why, (key, year)


def check_big_days_spread(rotation: Rotation, years: Years, limit: int = 1) -> None:
    for first, last in itertools.combinations_with_replacement(sorted(years), 2):
        assert spread(big_loads(rotation, years, first, last)) <= limit, (first, last)


def check_big_repeats_only_when_forced(rotation: Rotation, years: Years) -> None:
    """A big day goes to last year's cover only when anyone else would widen some run of years."""
    held = occasions(years)
    for (key, year), duties in held.items():
        last = held.get((key, year - 1))
        if not duties[0].weight or last is None or duties[0].person != last[0].person:
            continue
        assert "anyone else would widen the spread" in duties[0].why
        for other in eligible(rotation, duties) - {duties[0].person}:
            changed = {y: [d if d not in duties else _with(d, other) for d in ds] for y, ds in years.items()}
            widened = any(
                spread(big_loads(rotation, changed, first, year)) > 1 for first in range(min(years), year + 1)
            )
            assert widened, (key, year, other)


def _with(duty: HolidayDuty, person: str) -> HolidayDuty:
    return replace(duty, person=person)


def check_yearly_counts(rotation: Rotation, years: Years, *, strict: bool = True) -> None:
    """Within each year counts differ by at most one; where they don't (`strict` off), nobody with
    the fewest could have taken an ordinary holiday from someone with two more."""
    held = occasions(years)
    for year, duties in years.items():
        counts = {m: t.holidays for m, t in tally(rotation, {year: duties}).items()}
        low = min(counts.values())
        if max(counts.values()) - low <= 1:
            continue
        assert not strict, year
        for (_, own_year), days in held.items():
            first = days[0]
            if own_year != year or first.weight or first.pinned or counts[first.person or ""] < low + 2:
                continue
            assert not {m for m, n in counts.items() if n == low} & eligible(rotation, days), year


def check_observed_days_count_once(rotation: Rotation, years: Years) -> None:
    every = {d.holiday.day: d for duties in years.values() for d in duties}
    for duty in every.values():
        if duty.same_as is not None and duty.same_as in every:
            assert duty.person == every[duty.same_as].person
    for year, duties in years.items():
        counted = sum(t.holidays for t in tally(rotation, {year: duties}).values())
        assert counted == sum(1 for d in duties if d.same_as is None and d.person)


def plan(rotation: Rotation, calendar: object, last: int, **kwargs: object) -> Years:
    inputs = ScheduleInputs(calendar=calendar, **kwargs)  # type: ignore[arg-type]
    return holiday_years(rotation, last, inputs)


EXAMPLES = [
    pytest.param(WEEK6, US, {}, id="week6"),
    pytest.param(WEEK5, US, WEEK5_PINS, id="week5"),
    pytest.param(MUNICH, DE_BY, {}, id="munich-daily"),
]


@pytest.mark.parametrize(("rotation", "calendar", "pins"), EXAMPLES)
def test_the_example_teams_are_fair_over_ten_years(
    rotation: Rotation, calendar: object, pins: dict[date, str]
) -> None:
    years = plan(rotation, calendar, 2036, pinned=pins)
    check_no_ordinary_repeats(rotation, years)
    if pins:  # pinned big days count like any other: the years after even them out
        for last in range(2027, 2037):
            assert spread(big_loads(rotation, years, min(years), last)) <= 1, last
    else:
        check_big_days_spread(rotation, years)
    check_big_repeats_only_when_forced(rotation, years)
    check_yearly_counts(rotation, years)
    check_observed_days_count_once(rotation, years)


def test_week6_big_days_no_longer_fall_to_the_same_people() -> None:
    years = plan(WEEK6, US, 2029)
    thanksgiving = [
        d.person for y in (2027, 2028, 2029) for d in years[y] if d.holiday.name == "Thanksgiving Day"
    ]
    assert "david" not in thanksgiving and all(a != b for a, b in itertools.pairwise(thanksgiving))
    big = [d.person for y in range(2026, 2030) for d in years[y] if d.weight and d.same_as is None]
    assert Counter(big)["carol"] >= 2


def test_the_cover_says_why() -> None:
    years = plan(WEEK6, US, 2027)
    christmas = next(d for d in years[2027] if d.holiday.day == date(2027, 12, 25))
    assert christmas.why.startswith("big day: had no big holiday since ")
    assert christmas.same_as is None
    observed = next(d for d in years[2027] if d.holiday.day == date(2027, 12, 24))
    assert observed.same_as == date(2027, 12, 25) and observed.person == christmas.person


def test_a_recorded_cover_wins_and_steers_the_next_year() -> None:
    planned = plan(WEEK6, US, 2027)
    thanksgiving_2026 = next(d for d in planned[2026] if d.holiday.name == "Thanksgiving Day")
    other = next(m for m in ("alice", "bob") if m != thanksgiving_2026.person)
    history = [PastCover(thanksgiving_2026.holiday.day, other)]
    years = plan(WEEK6, US, 2027, history=history)
    assert next(d for d in years[2026] if d.holiday.name == "Thanksgiving Day").person == other
    assert next(d for d in years[2027] if d.holiday.name == "Thanksgiving Day").person != other


def test_a_big_days_weight_counts_in_the_spread() -> None:
    weights = {"New Year's Day": 1, "Thanksgiving Day": 1, "Christmas Day": 2}
    years = plan(WEEK6, US, 2036, big_days=weights)
    check_big_days_spread(WEEK6, years, limit=2)
    assert {d.weight for y in years.values() for d in y if d.holiday.name == "Christmas Day"} == {2}


def test_no_big_days_leaves_only_the_yearly_rule() -> None:
    years = plan(WEEK6, US, 2028, big_days={})
    assert all(d.weight == 0 for y in years.values() for d in y)
    check_yearly_counts(WEEK6, years)


def test_a_member_off_every_big_day_next_year_takes_more_this_year() -> None:
    # Thursday handoffs put m2 on shift for New Year's Day, Thanksgiving and Christmas 2030.
    trio = Rotation("r", ("m0", "m1", "m2"), "America/New_York", date(2026, 10, 9), time(0), 3)
    years = plan(trio, US, 2031)
    in_2030 = [d for d in years[2030] if d.weight and d.same_as is None]
    assert len(in_2030) == 3 and all("m2" not in eligible(trio, [d]) for d in in_2030)
    for last in years:
        assert spread(big_loads(trio, years, 2026, last)) <= 1, last
    assert big_loads(trio, {2029: years[2029]}, 2029, 2029)["m2"] == 2


@st.composite
def teams(draw: st.DrawFn) -> tuple[Rotation, CountryCalendar]:
    size = draw(st.integers(3, 6))
    unit = draw(st.sampled_from(list(Unit)))
    rotation = Rotation(
        name="r",
        members=tuple(f"m{i}" for i in range(size)),
        timezone=draw(st.sampled_from(["America/New_York", "Europe/Berlin", "UTC"])),
        start=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364))),
        handoff_time=time(draw(st.integers(0, 23))),
        handoff_weekday=draw(st.integers(0, 6)),
        unit=unit,
        length=1,
    )
    return rotation, draw(st.sampled_from([US, DE_BY]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams())
def test_fair_across_years_for_any_team(team: tuple[Rotation, CountryCalendar]) -> None:
    rotation, calendar = team
    years = plan(rotation, calendar, rotation.start.year + 6)
    check_no_ordinary_repeats(rotation, years, ever=True)
    # Each year is planned from the years before and looks one year ahead: a member who is primary
    # on every big day of two years running can leave a run at two; the example teams above hold
    # one for every run of years.
    for last in years:
        assert spread(big_loads(rotation, years, min(years), last)) <= 2, last
    check_big_repeats_only_when_forced(rotation, years)
    check_yearly_counts(rotation, years, strict=False)
    check_observed_days_count_once(rotation, years)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams(), st.data())
def test_pins_win_in_any_year(team: tuple[Rotation, CountryCalendar], data: st.DataObject) -> None:
    rotation, calendar = team
    days = [
        h.day for y in range(rotation.start.year, rotation.start.year + 3) for h in calendar.holidays_in(y)
    ]
    chosen = data.draw(st.lists(st.sampled_from(days), max_size=6, unique=True))
    pins = {day: data.draw(st.sampled_from(rotation.members)) for day in chosen}
    years = plan(rotation, calendar, rotation.start.year + 3, pinned=pins)
    held = {d.holiday.day: d for y in years.values() for d in y}
    for day, person in pins.items():
        if day in held:
            assert held[day].person == person and held[day].pinned
