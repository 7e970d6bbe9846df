"""`/swap` text read into a typed request, or a specific message with the usage."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slack.commands.oncall_parse import BadRequest
from bot.slack.commands.swap_parse import SwapCommand, parse_swap

BOB = "<@U0BOB0001|bob>"
DEC_14 = (datetime(2026, 12, 14), datetime(2026, 12, 15))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SwapCommand("form")),
        ("help", SwapCommand("help")),
        ("LIST", SwapCommand("list")),
        ("list all", SwapCommand("list", everyone=True)),
        ("cancel 12", SwapCommand("cancel", swap_id=12)),
        ("reverse #3", SwapCommand("cancel", swap_id=3)),
        ("cancel 2147483647", SwapCommand("cancel", swap_id=2**31 - 1)),
        (f"{BOB} 2026-12-14", SwapCommand("request", slack_id="U0BOB0001", when=DEC_14)),
        (
            f"{BOB} 2026-12-14 cover dentist at 9",
            SwapCommand("request", slack_id="U0BOB0001", when=DEC_14, cover=True, reason="dentist at 9"),
        ),
        (
            f"{BOB} 2026-12-14..2026-12-16 family",
            SwapCommand(
                "request",
                slack_id="U0BOB0001",
                when=(datetime(2026, 12, 14), datetime(2026, 12, 17)),
                whole=False,
                reason="family",
            ),
        ),
        (
            f"{BOB} 2026-12-14..2026-12-14",
            SwapCommand("request", slack_id="U0BOB0001", when=DEC_14, whole=False),
        ),
        (
            f"{BOB} 2026-12-14T09:00..2026-12-14T18:30 cover",
            SwapCommand(
                "request",
                slack_id="U0BOB0001",
                when=(datetime(2026, 12, 14, 9), datetime(2026, 12, 14, 18, 30)),
                whole=False,
                cover=True,
            ),
        ),
        (
            f"{BOB} 2026-12-14T18:00..2026-12-15",
            SwapCommand(
                "request",
                slack_id="U0BOB0001",
                when=(datetime(2026, 12, 14, 18), datetime(2026, 12, 16)),
                whole=False,
            ),
        ),
    ],
)
def test_reads(text: str, expected: SwapCommand) -> None:
    assert parse_swap(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("list mine", "`/swap list all` (admins)"),
        ("help me", "`/swap help` takes nothing after it"),
        ("cancel", "Usage: `/swap cancel <id>`"),
        ("cancel twelve", "Usage: `/swap cancel <id>`"),
        ("cancel 3000000000", "Usage: `/swap cancel <id>`"),
        ("cancel 100000000000000000000", "Usage: `/swap cancel <id>`"),
        ("cancel ²", "Usage: `/swap cancel <id>`"),
        ("cancel -1", "Usage: `/swap cancel <id>`"),
        ("2026-12-14 @bob", "Start with the teammate"),
        (BOB, "Give the date of your shift"),
        (f"{BOB} 14/12/2026", "`14/12/2026` is not a date"),
        (f"{BOB} 9999-12-31", "in the years 1970 to 2200"),
        (f"{BOB} 0001-01-01 cover", "in the years 1970 to 2200"),
        (f"{BOB} 2026-12-14..9999-12-31", "`9999-12-31` is not a date or a time"),
        (f"{BOB} 2026-12-14T09:00+01:00..2026-12-14T18:00", "is not a date or a time"),
        (f"{BOB} 2026-12-14T25:00..2026-12-14T26:00", "is not a date or a time"),
        (f"{BOB} 2026-12-16..2026-12-14", "The end 2026-12-14 comes before the start 2026-12-16"),
        (f"{BOB} 2026-12-14T18:00..2026-12-14T09:00", "comes before the start"),
        (f"{BOB} 2026-12-14 " + "x" * 201, "at most 200 characters"),
    ],
)
def test_refuses_with_the_reason(text: str, says: str) -> None:
    answer = parse_swap(text)
    assert isinstance(answer, BadRequest) and says in answer.message


@pytest.mark.parametrize("typed", ["@Bob", "bob"])
def test_a_teammate_typed_as_text_is_left_to_the_handler_to_find(typed: str) -> None:
    answer = parse_swap(f"{typed} 2026-12-14")
    assert isinstance(answer, SwapCommand) and answer.name == typed and answer.slack_id is None


@given(st.lists(st.sampled_from(["cancel", BOB, "cover", "..", "T", "#", "-", "9", "0", "2026-12-14", "x"])))
def test_any_text_is_read_or_refused(words: list[str]) -> None:
    for text in (" ".join(words), "".join(words), f"{BOB} " + "".join(words)):
        assert isinstance(parse_swap(text), SwapCommand | BadRequest)


@given(st.text())
def test_any_characters_are_read_or_refused(text: str) -> None:
    assert isinstance(parse_swap(text), SwapCommand | BadRequest)
