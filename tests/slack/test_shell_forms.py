"""Typed lines become form state exactly as Slack submits it: checked with the app's own readers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.core.schedule.model import Role
from bot.core.swap_plan import Duty, Span
from bot.features.teamfile.loader import load_team_file
from bot.messages.incident_modals import DeclareMeta, declare_modal
from bot.messages.swap_form import SwapForm, read_form, swap_modal
from bot.shell.forms import (
    Field,
    Filler,
    fields_of,
    find_person,
    initial_answers,
    question,
    read_answer,
    state_values,
    unsupported,
)
from bot.slack.views.incident_modal import declaration_errors
from tests.slack.conftest import BOB, NY, ROOT

TEAM = load_team_file(ROOT / "examples" / "week6-team.yaml")
FILLER = Filler(TEAM.people, "America/New_York")
OPTIONS = [{"text": {"type": "plain_text", "text": t}, "value": t.lower()} for t in ("Red", "Green", "Blue")]


def field(element: dict[str, Any], *, optional: bool = False) -> Field:
    return Field("b", "Colour", {"action_id": "b", **element}, optional)


def fill(view: dict[str, Any], lines: dict[str, str]) -> dict[str, Any]:
    """state.values after typing `lines` (block id -> line) into the view's fields."""
    fields = fields_of(view)
    answers = initial_answers(fields)
    for f in fields:
        if f.block_id in lines:
            got = read_answer(f, lines[f.block_id], answers[f.block_id], FILLER)
            assert isinstance(got, dict), got
            answers[f.block_id] = got
    return state_values(fields, answers)


def test_an_untouched_declaration_form_holds_its_initial_values() -> None:
    view = declare_modal(TEAM.pipelines, DeclareMeta())
    values = fill(view, {})
    assert values["severity"] == {
        "severity": {
            "type": "static_select",
            "selected_option": view["blocks"][1]["element"]["initial_option"],
        }
    }
    assert values["summary"] == {"summary": {"type": "plain_text_input", "value": None}}
    assert values["link"] == {"link": {"type": "url_text_input", "value": None}}
    assert declaration_errors({**view, "state": {"values": values}}).keys() == {"pipeline", "summary"}


def test_a_filled_declaration_form_reads_back() -> None:
    view = declare_modal(TEAM.pipelines, DeclareMeta())
    values = fill(view, {"pipeline": "3", "severity": "sev1 — down or wrong numbers", "summary": "late"})
    assert values["pipeline"]["pipeline"]["selected_option"]["value"] == "growth"
    assert values["severity"]["severity"]["selected_option"]["value"] == "sev1"
    assert declaration_errors({**view, "state": {"values": values}}) == {}


def test_the_swap_form_takes_a_teammate_a_shift_and_a_part_in_my_zone() -> None:
    mine = Duty(
        "data-oncall",
        "alice",
        Span(datetime(2027, 3, 1, 9, tzinfo=NY), datetime(2027, 3, 8, 9, tzinfo=NY)),
        (Role.PRIMARY,),
    )
    mates = [p for p in TEAM.people if p.id != "alice"]
    view = swap_modal(mine=[mine], theirs=[], teammates=mates, zone="America/New_York")
    lines = {
        "teammate": "1",
        "mine": "1",
        "theirs": "1",
        "part_from": "2027-03-03 09:00",
        "reason": "dentist",
    }
    form = read_form(fill(view, lines))
    assert isinstance(form, SwapForm)
    assert (form.teammate, form.mine, form.theirs, form.reason) == ("bob", mine.span, None, "dentist")
    assert form.part == (datetime(2027, 3, 3, 9, tzinfo=NY), None)


@pytest.mark.parametrize(
    ("element", "line", "state"),
    [
        ({"type": "plain_text_input"}, " a line ", {"value": "a line"}),
        ({"type": "static_select", "options": OPTIONS}, "2", {"selected_option": OPTIONS[1]}),
        (
            {"type": "static_select", "option_groups": [{"options": OPTIONS}]},
            "blue",
            {"selected_option": OPTIONS[2]},
        ),
        ({"type": "radio_buttons", "options": OPTIONS}, "3", {"selected_option": OPTIONS[2]}),
        ({"type": "checkboxes", "options": OPTIONS}, "3, 1", {"selected_options": [OPTIONS[2], OPTIONS[0]]}),
        ({"type": "users_select"}, "Bob", {"selected_user": BOB}),
        ({"type": "users_select"}, "@bob", {"selected_user": BOB}),
        ({"type": "datepicker"}, "2026-12-24", {"selected_date": "2026-12-24"}),
        ({"type": "timepicker"}, "9:30", {"selected_time": "09:30"}),
        # 09:00 in New York in winter is 14:00 UTC.
        ({"type": "datetimepicker"}, "2026-12-24 09:00", {"selected_date_time": 1798120800}),
    ],
)
def test_each_kind_of_input(element: dict[str, Any], line: str, state: dict[str, Any]) -> None:
    got = read_answer(field(element), line, initial_answers([field(element)])["b"], FILLER)
    assert got == {"type": element["type"], **state}


@pytest.mark.parametrize(
    ("element", "line", "error"),
    [
        ({"type": "plain_text_input", "max_length": 3}, "four", "At most 3 characters, please (that was 4)."),
        ({"type": "plain_text_input", "min_length": 5}, "four", "At least 5 characters, please."),
        ({"type": "static_select", "options": OPTIONS}, "4", "Pick by number, from 1 to 3."),
        ({"type": "static_select", "options": OPTIONS}, "1 2", "Pick one number only."),
        ({"type": "checkboxes", "options": OPTIONS}, "1 x", "Pick by number, from 1 to 3."),
        ({"type": "users_select"}, "zed", "No one called 'zed' in the team. Type a person: alice, bob"),
        ({"type": "datepicker"}, "24/12/2026", "Not a date: '24/12/2026'. Type a date, YYYY-MM-DD."),
        ({"type": "datepicker"}, "2026-02-30", "Not a date: '2026-02-30'."),
        ({"type": "timepicker"}, "25:00", "Not a time: '25:00'. Type a time, HH:MM."),
        ({"type": "datetimepicker"}, "2026-12-24", "Not a date and time: '2026-12-24'. Type a date and time"),
        ({"type": "plain_text_input"}, "", "This field is required. Type a line. `cancel` closes the form."),
    ],
)
def test_what_does_not_fit_is_said(element: dict[str, Any], line: str, error: str) -> None:
    got = read_answer(field(element), line, initial_answers([field(element)])["b"], FILLER)
    assert isinstance(got, str) and got.startswith(error)


def test_an_empty_line_keeps_or_skips_and_a_dash_empties() -> None:
    chosen = {"type": "static_select", "options": OPTIONS, "initial_option": OPTIONS[0]}
    required, optional = field(chosen), field(chosen, optional=True)
    initial = initial_answers([required])["b"]
    assert read_answer(required, "", initial, FILLER) == initial
    assert read_answer(optional, "-", initial, FILLER) == {"type": "static_select", "selected_option": None}
    assert read_answer(required, "-", initial, FILLER) == "Pick by number, from 1 to 3."
    empty = field({"type": "checkboxes", "options": OPTIONS}, optional=True)
    assert read_answer(empty, "", initial_answers([empty])["b"], FILLER) == {
        "type": "checkboxes",
        "selected_options": [],
    }


def test_the_question_shows_the_choices_and_what_an_empty_line_does() -> None:
    chosen = field({"type": "radio_buttons", "options": OPTIONS, "initial_option": OPTIONS[1]}, optional=True)
    assert question(chosen, initial_answers([chosen])["b"], FILLER) == (
        "Colour (optional)\n  1. Red\n  2. Green\n  3. Blue\n"
        "  Pick a number. Now: Green. An empty line keeps it; `-` empties it."
    )
    when = field({"type": "datetimepicker", "initial_date_time": 1798120800})
    assert question(when, initial_answers([when])["b"], FILLER) == (
        "Colour\n  Type a date and time, YYYY-MM-DD HH:MM (America/New_York). "
        "Now: 2026-12-24 09:00. An empty line keeps it."
    )


def test_people_by_id_or_name_and_inputs_the_shell_cannot_ask() -> None:
    carol = find_person(TEAM.people, "CAROL")
    assert carol is not None and carol.id == "carol" and find_person(TEAM.people, "@Carol") == carol
    assert find_person(TEAM.people, "zed") is None
    files = fields_of(
        {
            "blocks": [
                {
                    "type": "input",
                    "block_id": "f",
                    "label": {"text": "File"},
                    "element": {"type": "file_input"},
                }
            ]
        }
    )
    assert unsupported(files) == ["file_input"]
