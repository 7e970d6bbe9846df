"""Public holidays from the `holidays` package, plus the company's own days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import holidays

from bot.core.schedule.model import Holiday


def check_country(country: str, subdivision: str | None = None) -> None:
    """Raise ValueError naming what is wrong when the package knows no such country or subdivision."""
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(f"unknown holiday country {country!r} (use an ISO code such as US, GB, DE)")
    if subdivision is not None and subdivision not in supported[country]:
        known = ", ".join(supported[country][:12]) or "none"
        raise ValueError(f"unknown subdivision {subdivision!r} of {country} (known: {known}…)")


class CountryCalendar:
    """A team's holidays, observed days included; implements HolidayCalendar."""

    def __init__(self, country: str, subdivision: str | None = None, extra: Sequence[Holiday] = ()) -> None:
        check_country(country, subdivision)
        self.country, self.subdivision = country, subdivision
        self.extra = tuple(extra)
        self._years: dict[int, list[Holiday]] = {}

    def holidays_in(self, year: int) -> list[Holiday]:
        if year not in self._years:
            self._years[year] = self._compute(year)
        return self._years[year]

    def _compute(self, year: int) -> list[Holiday]:
        by_day = dict(_public(self.country, self.subdivision, year))
        for day in self.extra:
            if day.day.year == year:
                by_day[day.day] = f"{by_day[day.day]}; {day.name}" if day.day in by_day else day.name
        return [Holiday(day=d, name=name) for d, name in sorted(by_day.items())]


@lru_cache(maxsize=512)
def _public(country: str, subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    # The package files a New Year's Day observed on Dec 31 under the year of its date, as we want.
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=year, observed=True)
    return tuple((day, name) for day, name in sorted(calendar.items()) if day.year == year)
