"""`/swap` text read into a typed request, or a specific message with the usage."""

from __future__ import annotations

from datetime import date

import pytest

from bot.slack.commands.oncall_parse import BadRequest
from bot.slack.commands.swap_parse import SwapCommand, parse_swap

BOB = "<@U0BOB0001|bob>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SwapCommand("form")),
        ("help", SwapCommand("help")),
        ("LIST", SwapCommand("list")),
        ("cancel 12", SwapCommand("cancel", swap_id=12)),
        ("reverse #3", SwapCommand("cancel", swap_id=3)),
        (f"{BOB} 2026-12-14", SwapCommand("request", slack_id="U0BOB0001", first=date(2026, 12, 14))),
        (
            f"{BOB} 2026-12-14 cover dentist at 9",
            SwapCommand(
                "request", slack_id="U0BOB0001", first=date(2026, 12, 14), cover=True, reason="dentist at 9"
            ),
        ),
        (
            f"{BOB} 2026-12-14..2026-12-16 family",
            SwapCommand(
                "request",
                slack_id="U0BOB0001",
                first=date(2026, 12, 14),
                last=date(2026, 12, 16),
                reason="family",
            ),
        ),
    ],
)
def test_reads(text: str, expected: SwapCommand) -> None:
    assert parse_swap(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("list all", "`/swap list` takes nothing after it"),
        ("cancel", "Usage: `/swap cancel <id>`"),
        ("cancel twelve", "Usage: `/swap cancel <id>`"),
        ("bob 2026-12-14", "Start with the teammate"),
        (BOB, "Give the date of your shift"),
        (f"{BOB} 14/12/2026", "`14/12/2026` is not a date"),
        (f"{BOB} 2026-12-16..2026-12-14", "The last day 2026-12-14 comes before the first 2026-12-16"),
        (f"{BOB} 2026-12-14 " + "x" * 201, "at most 200 characters"),
    ],
)
def test_refuses_with_the_reason(text: str, says: str) -> None:
    answer = parse_swap(text)
    assert isinstance(answer, BadRequest) and says in answer.message
