from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slack.commands.oncall_parse import BadRequest, OncallRequest, closest_subcommand, parse_oncall


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", OncallRequest("now")),
        ("   ", OncallRequest("now")),
        ("now", OncallRequest("now")),
        ("NOW share", OncallRequest("now", share=True)),
        ("share", OncallRequest("now", share=True)),
        ("next", OncallRequest("next")),
        ("schedule", OncallRequest("schedule", weeks=4)),
        ("schedule 26", OncallRequest("schedule", weeks=26)),
        ("schedule 2 share", OncallRequest("schedule", weeks=2, share=True)),
        ("me", OncallRequest("me")),
        ("<@U0BOB0001|bob>", OncallRequest("person", slack_id="U0BOB0001")),
        ("<@U0BOB0001>", OncallRequest("person", slack_id="U0BOB0001")),
        ("holidays", OncallRequest("holidays")),
        ("holidays 2027", OncallRequest("holidays", year=2027)),
        ("calendar", OncallRequest("calendar")),
        ("calendar reset", OncallRequest("calendar", reset=True)),
        ("help", OncallRequest("help")),
        ("checklist", OncallRequest("checklist")),
        ("away list", OncallRequest("away", away="list")),
        ("away list <@U0BOB0001|bob>", OncallRequest("away", away="list", slack_id="U0BOB0001")),
        ("away LIST all", OncallRequest("away", away="list", everyone=True)),
        ("away cancel #12", OncallRequest("away", away="cancel", absence_id=12)),
        (
            "away 2026-12-21 2026-12-31 family trip",
            OncallRequest("away", first=date(2026, 12, 21), last=date(2026, 12, 31), query="family trip"),
        ),
        (
            "away <@U0BOB0001|bob> 2026-12-21 2026-12-22",
            OncallRequest("away", slack_id="U0BOB0001", first=date(2026, 12, 21), last=date(2026, 12, 22)),
        ),
        (
            "away 2026-12-21 2026-12-31 share the pager with bob",
            OncallRequest(
                "away", first=date(2026, 12, 21), last=date(2026, 12, 31), query="share the pager with bob"
            ),
        ),
        ("away cancel 2147483647", OncallRequest("away", away="cancel", absence_id=2**31 - 1)),
        ("history 50", OncallRequest("history", count=50)),
        ("handoff quiet week, see thread", OncallRequest("handoff", query="quiet week, see thread")),
        ("growth", OncallRequest("pipeline", query="growth")),
        ("aggregate growth", OncallRequest("pipeline", query="aggregate growth")),
    ],
)
def test_valid_requests(text: str, expected: OncallRequest) -> None:
    assert parse_oncall(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("schedule 0", "1 to 26"),
        ("schedule 27", "1 to 26"),
        ("schedule soon", "1 to 26"),
        ("holidays 99999", "/oncall holidays [year]"),
        ("holidays 1969", "a year from 1970 to 2200"),
        ("holidays ²", "/oncall holidays [year]"),
        ("schedule ²", "1 to 26"),
        ("history ³", "at most 50"),
        ("history 100000000000000000000", "at most 50"),
        ("away 9999-12-30 9999-12-31", "in the years 1970 to 2200"),
        ("away 2026-12-21 2201-01-01", "in the years 1970 to 2200"),
        ("away cancel 3000000000", "Usage: `/oncall away cancel <id>`"),
        ("away cancel 100000000000000000000", "Usage: `/oncall away cancel <id>`"),
        ("away cancel ²", "Usage: `/oncall away cancel <id>`"),
        ("away cancel", "Usage: `/oncall away cancel <id>`"),
        ("away list bob", "admins: `/oncall away list @someone`"),
        ("away list all <@U0BOB0001>", "`/oncall away list all`"),
        ("away 2026-12-21 2026-12-22 " + "x" * 201, "at most 200 characters"),
        ("now please", "takes nothing after it"),
        ("calendar delete", "calendar reset"),
    ],
)
def test_bad_requests_say_the_usage(text: str, says: str) -> None:
    result = parse_oncall(text)
    assert isinstance(result, BadRequest)
    assert says in result.message


def test_trailing_words_are_escaped_in_the_message() -> None:
    result = parse_oncall("now <!channel>")
    assert isinstance(result, BadRequest)
    assert "<!channel>" not in result.message


def test_a_huge_pipeline_query_is_cut() -> None:
    result = parse_oncall("x" * 10_000)
    assert isinstance(result, OncallRequest)
    assert len(result.query) <= 200


@pytest.mark.parametrize(
    ("typo", "meant"), [("nwo", "now"), ("schedul", "schedule"), ("holiday", "holidays")]
)
def test_closest_subcommand(typo: str, meant: str) -> None:
    assert closest_subcommand(typo) == meant


def test_no_suggestion_for_nonsense() -> None:
    assert closest_subcommand("xyzzy") is None


@given(st.text())
def test_any_text_is_read_or_refused(text: str) -> None:
    for typed in (text, f"away {text}", f"away cancel {text}", f"history {text}", f"holidays {text}"):
        assert isinstance(parse_oncall(typed), OncallRequest | BadRequest)
