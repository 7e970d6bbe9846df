"""Block Kit for the month-end checklist message and its daily reminder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.slack.blocks.common import context, escape, header, section, truncate
from bot.slack.blocks.oncall import who
from bot.slack.blocks.timefmt import day, slack_time
from bot.slack.ids import ActionId
from bot.store.checklists import Entry
from bot.teamfile.schema import Person, Pipeline

Blocks = list[dict[str, Any]]
OPTION_TEXT_LIMIT = 75


def _option(entry: Entry, period: str) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": truncate(entry.text, OPTION_TEXT_LIMIT)},
        "value": f"{period}|{entry.pipeline}|{entry.position}",
    }


def checklist_blocks(
    pipeline: Pipeline, period: str, items: Sequence[Entry], people: Mapping[str, Person], zone: str
) -> Blocks:
    lines = [
        f":white_check_mark: {escape(e.text)} — {who(e.ticked_by, people)}, {slack_time(e.ticked_at, zone)}"
        if e.ticked_by and e.ticked_at
        else f":black_square_button: {escape(e.text)}"
        for e in items
    ]
    options = [_option(e, period) for e in items]
    checkboxes: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ActionId.TICK_CHECKLIST.value,
        "options": options,
    }
    ticked = [_option(e, period) for e in items if e.ticked_by]
    if ticked:
        checkboxes["initial_options"] = ticked
    owners = f"{who(pipeline.primary, people)} (primary), {who(pipeline.secondary, people)} (secondary)"
    return [
        header(f"Month-end checklist: {pipeline.name}, {period}"),
        section("\n".join(lines) or "_No checklist items in the runbook._"),
        {"type": "actions", "block_id": f"checklist|{period}|{pipeline.key}", "elements": [checkboxes]},
        context(f"Owners: {owners}. I'll list what is still open here every business day until month end."),
    ]


def nudge_blocks(pipeline: Pipeline, items: Sequence[Entry], people: Mapping[str, Person]) -> Blocks:
    open_items = [e for e in items if not e.ticked_by]
    if not open_items:
        return [section(f":white_check_mark: Everything on the {escape(pipeline.name)} checklist is done.")]
    owners = f"{who(pipeline.primary, people)} {who(pipeline.secondary, people)}"
    lines = "\n".join(f"• {escape(e.text)}" for e in open_items)
    return [section(f"{owners} still open on *{escape(pipeline.name)}*:\n{lines}")]


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
