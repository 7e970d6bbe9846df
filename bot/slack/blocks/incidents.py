"""Block Kit for incidents: the root message, who is reached, and the lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.services.incidents import Incident, Reach
from bot.slack.blocks.common import actions, button, context, escape, header, section
from bot.slack.blocks.oncall import who
from bot.slack.blocks.timefmt import slack_time
from bot.slack.ids import ActionId
from bot.teamfile.schema import Person, Pipeline

Blocks = list[dict[str, Any]]


def root_blocks(incident: Incident, pipeline: Pipeline, people: Mapping[str, Person], zone: str) -> Blocks:
    declared = f"declared by {who(incident.declared_by, people)} {slack_time(incident.declared_at, zone)}"
    blocks = [
        header(f"Incident #{incident.id}: {pipeline.name} ({incident.severity})"),
        section(escape(incident.summary)),
    ]
    if incident.acked_by and incident.acked_at:
        acked = f"acknowledged by {who(incident.acked_by, people)} {slack_time(incident.acked_at, zone)}"
        return [*blocks, context(f"Status: *{incident.status}* · {declared} · {acked}")]
    ack = button("Acknowledge", ActionId.ACK_INCIDENT, str(incident.id), style="primary")
    return [*blocks, context(f"Status: *{incident.status}* · {declared}"), actions(ack)]


def reach_blocks(reaches: Sequence[Reach], people: Mapping[str, Person]) -> Blocks:
    reached = [f"{who(r.person, people)} ({r.role})" for r in reaches if r.reached]
    lines = ["*Reaching:* " + (", ".join(reached) or "_nobody available_")]
    for r in reaches:
        if not r.reached:
            name = escape(people[r.person].name if r.person in people else r.person)
            instead = f", so {who(r.stand_in, people)} stands in" if r.stand_in else ""
            lines.append(f":palm_tree: {name} ({r.role}) is {escape(r.why)}{instead}.")
    return [section("\n".join(lines))]


def list_blocks(incidents: Sequence[Incident], names: Mapping[str, str], zone: str) -> Blocks:
    if not incidents:
        return [section(":white_check_mark: No open incident.")]
    lines = [
        f"• #{i.id} {escape(names.get(i.pipeline, i.pipeline))} ({i.severity}), "
        f"{slack_time(i.declared_at, zone)}: {escape(i.summary[:120])}"
        for i in incidents
    ]
    return [header("Open incidents"), section("\n".join(lines))]


HELP = """\
*`/incident`* — open an incident thread with the owners, who is on call and the runbook.
• `/incident <pipeline> [sev1|sev2|sev3] <summary>` — declare one (sev2 by default)
• `/incident list` — open incidents
• `/incident status <id>` — one incident"""


def help_blocks() -> Blocks:
    return [section(HELP)]
