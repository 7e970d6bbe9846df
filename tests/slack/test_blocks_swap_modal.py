"""The `/swap` form: built from shifts, read back with an error next to each wrong input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.core.schedule.model import Role
from bot.core.swap_plan import Duty, Span
from bot.core.team import Person
from bot.messages.swap_form import SwapForm, read_form, swap_modal
from tests.slack.blocks_check import assert_valid_blocks

START = datetime(2027, 3, 1, 14, tzinfo=UTC)
MINE = Duty("ops", "alice", Span(START, START + timedelta(weeks=1)), (Role.PRIMARY,))
CAROLS = Duty("ops", "carol", Span(START + timedelta(weeks=2), START + timedelta(weeks=3)), (Role.PRIMARY,))
OTHER = Duty("web", "carol", Span(START + timedelta(weeks=4), START + timedelta(weeks=5)), (Role.BACKUP,))
PEOPLE = [Person(id="carol", name="Carol", slack_id="U0CAROL01")]


def modal() -> dict[str, Any]:
    return swap_modal(mine=[MINE], theirs=[CAROLS, OTHER], teammates=PEOPLE, zone="America/New_York")


def value(block_id: str, label_start: str) -> str:
    block = next(b for b in modal()["blocks"] if b.get("block_id") == block_id)
    return next(o["value"] for o in block["element"]["options"] if o["text"]["text"].startswith(label_start))


def chosen(value: str) -> dict[str, Any]:
    return {"selected_option": {"value": value}}


def values(**picked: Any) -> dict[str, Any]:
    return {block: {block: v} for block, v in picked.items()}


def test_the_form_is_valid_and_labels_times_in_my_zone() -> None:
    view = modal()
    View(**view).validate_json()
    assert_valid_blocks(view["blocks"], surface="modal")
    assert value("mine", "Mon 01 Mar 09:00 → Mon 08 Mar 09:00 · primary")
    assert value("theirs", "Carol · Mon 15 Mar 10:00 → Mon 22 Mar 10:00 · primary")


def test_a_complete_form_is_read() -> None:
    part_from = int((START + timedelta(days=1)).timestamp())
    form = read_form(
        values(
            teammate=chosen("carol"),
            mine=chosen(value("mine", "Mon")),
            theirs=chosen(value("theirs", "Carol · Mon 15")),
            part_from={"selected_date_time": part_from},
            reason={"value": "  wedding "},
        )
    )
    assert form == SwapForm(
        "carol", "ops", MINE.span, ("carol", CAROLS.span), (START + timedelta(days=1), None), "wedding"
    )


@pytest.mark.parametrize(
    ("picked", "errors"),
    [
        ({}, {"teammate", "mine", "theirs"}),
        ({"teammate": "bob", "theirs": "Carol · Mon 15"}, {"theirs"}),
        ({"teammate": "carol", "theirs": "Carol · Mon 29"}, {"theirs"}),  # another rotation
        ({"teammate": "carol", "theirs": "Cover only", "until": -1}, {"part_until"}),
    ],
)
def test_each_problem_is_named_next_to_its_input(picked: dict[str, Any], errors: set[str]) -> None:
    submitted: dict[str, Any] = {}
    if "teammate" in picked:
        submitted["mine"] = chosen(value("mine", "Mon"))
        submitted["teammate"] = chosen(picked["teammate"])
        submitted["theirs"] = chosen(value("theirs", picked["theirs"]))
    if "until" in picked:
        submitted["part_from"] = {"selected_date_time": int(START.timestamp())}
        submitted["part_until"] = {"selected_date_time": int(START.timestamp()) + picked["until"]}
    found = read_form(values(**submitted))
    assert isinstance(found, dict) and set(found) == errors
