"""The month-end window and checklist items, from the calendar and the runbooks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bot.features.oncall.runbooks import load_runbook

from bot.core.month_end import checklist_items, month_end_window
from bot.core.runbooks.parse import parse_runbook
from bot.core.schedule import CountryCalendar
from bot.messages.checklist import OPTION_TEXT_LIMIT

RUNBOOKS = Path(__file__).resolve().parents[2] / "runbooks"
US = CountryCalendar("US")


def days_off(year: int) -> set[date]:
    return {h.day for h in US.holidays_in(year)}


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 11, [23, 24, 25, 27, 30]),  # Thanksgiving on the 26th is skipped
        (2026, 12, [24, 28, 29, 30, 31]),  # Christmas on Friday the 25th, then a weekend
        (2027, 1, [25, 26, 27, 28, 29]),
    ],
)
def test_window_skips_weekends_and_holidays(year: int, month: int, expected: list[int]) -> None:
    assert month_end_window(year, month, days_off(year), 5) == [date(year, month, d) for d in expected]


def test_items_come_from_the_runbook_checklist() -> None:
    items = checklist_items(load_runbook(RUNBOOKS, "profit.md"))
    assert items[0] == "Revenue and expense records complete for the month (upstream data landed)"
    assert "Financial records completeness is above 99.5%" in items


@pytest.mark.parametrize("runbook", sorted(p.name for p in RUNBOOKS.glob("*.md")))
def test_every_checklist_item_fits_a_checkbox(runbook: str) -> None:
    for item in checklist_items(load_runbook(RUNBOOKS, runbook)):
        assert len(item) <= OPTION_TEXT_LIMIT, f"{runbook}: {item!r} is cut short in Slack"


def test_without_a_checklist_the_slas_and_actions_are_used() -> None:
    runbook = parse_runbook(
        "---\nkey: x\ntitle: X\n---\n"
        "## SLAs\n- **Monthly**: final 2 days before\n## On-call actions\n1. Check logs\n",
        source="x.md",
    )
    assert checklist_items(runbook) == ["Monthly: final 2 days before", "Check logs"]
