"""The models alone, as other code builds them: values the file could not express are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from bot.core.team import CompanyHoliday, Handoff, HolidaySettings, Pipeline, RotationConfig


@pytest.mark.parametrize("value", [dt.time(9, 0, 30), dt.time(9, 0, tzinfo=dt.UTC), "9.30", 930])
def test_handoff_times_are_whole_minutes_of_a_wall_clock(value: object) -> None:
    with pytest.raises(ValidationError):
        Handoff(time=value)  # type: ignore[arg-type]


def test_handoff_time_without_a_leading_zero_is_read() -> None:
    assert Handoff(time="9:05", weekday=" Friday").model_dump() == {  # type: ignore[arg-type]
        "weekday": "friday",
        "time": dt.time(9, 5),
    }


@pytest.mark.parametrize("value", [0, 1767225600, "2026-1-5", "05/01/2026", "2026-01-05T00:00"])
def test_dates_are_written_as_year_month_day(value: object) -> None:
    with pytest.raises(ValidationError, match="write the date as YYYY-MM-DD"):
        CompanyHoliday(date=value, name="Party")  # type: ignore[arg-type]


def test_union_fields_take_either_shape() -> None:
    pipeline = Pipeline.model_validate(
        {
            "key": "sales",
            "name": "Sales",
            "area": "sales",
            "primary": "ann",
            "secondary": "ben",
            "escalation": ["cat", {"name": "Finance", "slack": "C0FIN0001"}],
        }
    )
    assert pipeline.escalation[0] == "cat" and pipeline.escalation[1].name == "Finance"  # type: ignore[union-attr]
    rotation = RotationConfig.model_validate(
        {
            "name": "ops",
            "channel": "#ops",
            "members": ["ann", "ben"],
            "backup": [{"primary": "ann", "backup": "ben"}, {"primary": "ben", "backup": "ann"}],
            "start": "2026-01-05",
        }
    )
    assert [pair.backup for pair in rotation.backup] == ["ben", "ann"]  # type: ignore[union-attr]


def test_country_codes_are_read_in_any_case() -> None:
    assert HolidaySettings(country=" gb ").country == "GB"


@pytest.mark.parametrize("weight", [0, -1, 11, "heavy"])
def test_a_big_days_weight_is_a_small_positive_number(weight: object) -> None:
    with pytest.raises(ValidationError):
        HolidaySettings(big_days={"Christmas Day": weight})  # type: ignore[dict-item]


def test_the_big_days_default_to_new_year_thanksgiving_and_christmas() -> None:
    assert HolidaySettings().big_days == {"New Year's Day": 1, "Thanksgiving Day": 1, "Christmas Day": 1}
