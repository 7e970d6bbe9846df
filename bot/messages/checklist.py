"""Block Kit for the month-end checklist message and its daily reminder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.core.team import Person, Pipeline
from bot.messages.common import context, escape, header, section, truncate
from bot.messages.ids import ActionId
from bot.messages.oncall import who
from bot.messages.timefmt import day, slack_time
from bot.store.checklists import Entry

Blocks = list[dict[str, Any]]
OPTION_TEXT_LIMIT = 75


def _option(entry: Entry, period: str) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": truncate(entry.text, OPTION_TEXT_LIMIT)},
        "value": f"{period}|{entry.pipeline}|{entry.position}",
    }


def _owners(pipeline: Pipeline, people: Mapping[str, Person]) -> str:
    return f"{who(pipeline.primary, people)} (primary), {who(pipeline.secondary, people)} (secondary)"


def checklist_blocks(
    pipeline: Pipeline, period: str, items: Sequence[Entry], people: Mapping[str, Person], zone: str
) -> Blocks:
    lines = [
        f":white_check_mark: {escape(e.text)} — {who(e.ticked_by, people)}, {slack_time(e.ticked_at, zone)}"
        if e.ticked_by and e.ticked_at
        else f":black_square_button: {escape(e.text)}"
        for e in items
    ]
    blocks = [
        header(f"Month-end checklist: {pipeline.name}, {period}"),
        section("\n".join(lines) or "_No checklist items in the runbook._"),
    ]
    if items:  # Slack refuses a checkboxes element without options
        checkboxes: dict[str, Any] = {
            "type": "checkboxes",
            "action_id": ActionId.TICK_CHECKLIST.value,
            "options": [_option(e, period) for e in items],
        }
        if ticked := [_option(e, period) for e in items if e.ticked_by]:
            checkboxes["initial_options"] = ticked
        block_id = f"checklist|{period}|{pipeline.key}"
        blocks.append({"type": "actions", "block_id": block_id, "elements": [checkboxes]})
    note = " I'll list what is still open here every business day until all is done or the month ends."
    blocks.append(context(f"Owners: {_owners(pipeline, people)}.{note if items else ''}"))
    return blocks


def unreadable_checklist_blocks(
    pipeline: Pipeline, period: str, problem: str, people: Mapping[str, Person]
) -> Blocks:
    """In place of a checklist whose runbook cannot be read: the team learns it has nothing to tick."""
    return [
        header(f"Month-end checklist: {pipeline.name}, {period}"),
        section(
            f":warning: The runbook could not be read, so there is nothing to tick yet: {escape(problem)}\n"
            "The checklist follows once the runbook is fixed."
        ),
        context(f"Owners: {_owners(pipeline, people)}."),
    ]


def nudge_blocks(pipeline: Pipeline, items: Sequence[Entry], people: Mapping[str, Person]) -> Blocks:
    """The daily reply in the checklist's thread: what is still open, to the pipeline's owners."""
    owners = f"{who(pipeline.primary, people)} {who(pipeline.secondary, people)}"
    lines = "\n".join(f"• {escape(e.text)}" for e in items if not e.ticked_by)
    return [section(f"{owners} still open on *{escape(pipeline.name)}*:\n{lines}")]


def all_done_blocks(pipeline: Pipeline) -> Blocks:
    return [section(f":white_check_mark: Everything on the {escape(pipeline.name)} checklist is done.")]


def checklist_state_blocks(
    period: str,
    pipelines: Sequence[Pipeline],
    items: Sequence[Entry],
    people: Mapping[str, Person],
    *,
    starts: date | None,
) -> Blocks:
    """`/oncall checklist`: this month's boxes per investor-facing pipeline."""
    if not items:
        when = f" on {day(starts)}" if starts else ""
        return [section(f"The {period} month-end checklist has not started yet; it is posted{when}.")]
    blocks: Blocks = [header(f"Month-end checklist {period}")]
    for pipeline in pipelines:
        mine = [e for e in items if e.pipeline == pipeline.key]
        done = sum(1 for e in mine if e.ticked_by)
        lines = [
            f"{':white_check_mark:' if e.ticked_by else ':black_square_button:'} {escape(e.text)}"
            + (f" — {who(e.ticked_by, people)}" if e.ticked_by else "")
            for e in mine
        ]
        blocks.append(section(f"*{escape(pipeline.name)}*: {done} of {len(mine)} done\n" + "\n".join(lines)))
    return blocks
