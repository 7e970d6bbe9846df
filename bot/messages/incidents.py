"""Block Kit for incidents: the root message, who is reached, the runbook's key sections, the list and
the handoff part (the timeline and thread events: `incident_timeline`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.core.incidents.audience import Reach, mentioned
from bot.core.incidents.model import Incident
from bot.core.runbooks.parse import Runbook
from bot.core.team import Person
from bot.features.incidents.service import HandoffIncidents
from bot.messages.common import (
    Blocks,
    actions,
    button,
    context,
    escape,
    header,
    literal_section,
    section,
    truncate,
    usage,
    written_line,
)
from bot.messages.ids import ActionId
from bot.messages.incident_timeline import named, person
from bot.messages.oncall import plain_name, who
from bot.messages.pipeline import markdown_to_mrkdwn
from bot.messages.timefmt import slack_time

People = Mapping[str, Person]
SAFE_URL = re.compile(r"^https?://[^\s<>|]+$")
PLAIN_ID = re.compile(r"[0-9]{1,12}")
KEY_SECTIONS = ("Potential issues", "What to check", "On-call actions", "Escalation")
LIST_LIMIT = 40  # lines of `/incident list`, within a message's 50 blocks
HANDOFF_LIMIT = 10  # lines of each incident list in a handoff, which says much else too


class IncidentButton(BaseModel):
    """The value of an incident's buttons: which incident, and the escalation level its message showed,
    so a stale or second click on Escalate cannot call a level nobody saw."""

    model_config = ConfigDict(extra="forbid")
    incident: int
    level: int | None = None  # None on messages posted before buttons carried it

    @classmethod
    def read(cls, value: str) -> IncidentButton | None:
        """The button's value, also from messages whose buttons carried the plain incident id."""
        if PLAIN_ID.fullmatch(value):
            return cls(incident=int(value))
        try:
            return cls.model_validate_json(value)
        except ValidationError:
            return None


class JoinButton(BaseModel):
    """`Join #N`: the open incident, and what the second declarer typed, to add to its thread."""

    model_config = ConfigDict(extra="forbid")
    incident: int
    note: str


class DeclareAnyway(BaseModel):
    """`Declare a new one`: the declaration as typed, and its command's key so it happens once."""

    model_config = ConfigDict(extra="forbid")
    key: str
    pipeline: str
    severity: str
    summary: str


def join_offer_blocks(
    others: Sequence[Incident], pipeline: str, anyway: DeclareAnyway, people: People, now: datetime
) -> Blocks:
    """Before a second incident on a pipeline: the ones open on it, each to join, or a new one."""
    lines = []
    for other in others[:3]:
        span = now - other.declared_at
        ago = "just now" if span < timedelta(minutes=1) else f"{duration(span)} ago"
        lines.append(
            written_line(
                f"*#{other.id}* on {escape(pipeline)} is open (declared {ago} by "
                f"{named(other.declared_by, people)}):",
                truncate(other.summary, 200),
            )
        )
    joins = [
        button(
            f"Join #{o.id}",
            ActionId.JOIN_INCIDENT,
            JoinButton(incident=o.id, note=anyway.summary).model_dump_json(),
        )
        for o in others[:3]
    ]
    new = button("Declare a new one", ActionId.DECLARE_ANYWAY, anyway.model_dump_json())
    return [
        section("Is it the same outage? Join it, and what you saw is added to its thread."),
        *lines,
        actions(*joins, new),
    ]


def link_text(url: str, label: str = "link") -> str:
    if SAFE_URL.match(url):
        return f"<{url.replace('&', '&amp;')}|{label}>"
    return escape(url)


def duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n]
    return " ".join(parts[:2]) or "0 min"


def status_word(incident: Incident) -> str:
    if not incident.is_open:
        return "resolved"
    return "acknowledged" if incident.acked_by else "open"


def _facts(incident: Incident, people: People, zone: str) -> list[str]:
    facts = [
        f"Status: *{status_word(incident)}*",
        f"declared by {person(incident.declared_by, people)} {slack_time(incident.declared_at, zone)}",
    ]
    if incident.acked_by and incident.acked_at:
        facts.append(
            f"acknowledged by {named(incident.acked_by, people)} {slack_time(incident.acked_at, zone)}"
        )
    if incident.level:
        facts.append(f"escalation level {incident.level}")
    if incident.resolved_by and incident.resolved_at:
        facts.append(
            f"resolved by {named(incident.resolved_by, people)} {slack_time(incident.resolved_at, zone)}"
        )
    return facts


def _buttons(incident: Incident) -> list[dict[str, Any]]:
    value = IncidentButton(incident=incident.id, level=incident.level).model_dump_json()
    if not incident.is_open:
        return [button("Reopen", ActionId.REOPEN_INCIDENT, value)]
    ack = [] if incident.acked_by else [button("Acknowledge", ActionId.ACK_INCIDENT, value, style="primary")]
    return [
        *ack,
        button("Escalate", ActionId.ESCALATE_INCIDENT, value),
        button("Resolve", ActionId.RESOLVE_INCIDENT, value),
    ]


def title(incident: Incident, pipeline: str) -> str:
    return f"Incident #{incident.id}: {pipeline} ({incident.severity})"


def root_blocks(
    incident: Incident, pipeline: str, people: People, zone: str, firing: str | None = None
) -> Blocks:
    """The incident's root message: what broke (`pipeline` is its name), how bad, its state, and the
    buttons that change it. What people wrote (the summary, the resolution) shows exactly as written.
    `firing`: how often the alert behind it fired, when one opened it."""
    blocks = [header(title(incident, pipeline))]
    blocks.append(literal_section(incident.summary))
    if incident.link:
        blocks.append(section(f":link: {link_text(incident.link)}"))
    if incident.resolution and not incident.is_open:
        blocks.append(literal_section(f"Resolution: {incident.resolution}"))
    facts = [*_facts(incident, people, zone), *([firing] if firing else [])]
    return [*blocks, context(" · ".join(facts)), actions(*_buttons(incident))]


def direct_blocks(incident: Incident, pipeline: str, said: str, channel: str, hint: str) -> Blocks:
    """A direct message in place of a thread message Slack refused to post: the incident, what
    happened (`said`, as the thread would have said it), and why it comes this way."""
    return [
        section(f"*{escape(title(incident, pipeline))}*"),
        literal_section(incident.summary),
        section(said),
        context(
            f"You get this directly because Slack refused to post in {escape(channel)}: {escape(hint)}. "
            "The thread follows there once that is fixed."
        ),
    ]


def refused_text(incident: Incident, hint: str, told: Sequence[str], people: People) -> str:
    """What the declarer hears when Slack refuses the thread for good; `told`: whom the bot told
    directly instead (person ids, or Slack ids outside the team)."""
    said = (
        f"Slack refused to post in {escape(incident.channel)}: {escape(hint)}. The incident is stored "
        f"as #{incident.id} and will be posted once that is fixed."
    )
    if not told:
        return said
    names = [named(p, people) for p in told]
    whom = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{said} Meanwhile {whom} {'was' if len(names) == 1 else 'were'} told by direct message."


def already_open_lines(
    others: Sequence[tuple[Incident, str | None]], pipeline: str, people: People, now: datetime
) -> list[str]:
    """A note per incident already open on the pipeline (`others`: each with its thread's link)."""
    notes = []
    for other, link in others:
        number = link_text(link, f"#{other.id}") if link else f"#{other.id}"
        span = now - other.declared_at
        ago = "just now" if span < timedelta(minutes=1) else f"{duration(span)} ago"
        by = named(other.declared_by, people)
        notes.append(f"Note: {number} on {escape(pipeline)} is already open (declared {ago} by {by}).")
    return notes


def reach_blocks(
    reaches: Sequence[Reach], people: People, *, actor: str | None = None, did: str = "declared it"
) -> Blocks:
    """Who the incident reaches; the `actor` who declared (or reopened) it knows already, and is
    named rather than mentioned."""

    def reached_line(r: Reach) -> str:
        if r.person == actor:
            return f"{who(r.person, people, notify=False)} ({r.role}, {did})"
        return f"{who(r.person, people)} ({r.role})"

    reached = [reached_line(r) for r in reaches if r.reached]
    stand_ins = mentioned(reaches)[len(reached) :]  # those reached come first
    reached += [f"{who(p, people)} (on-call backup, standing in)" for p in stand_ins]
    lines = ["*Reaching:* " + (", ".join(reached) or "_nobody available_")]
    for r in reaches:
        if not r.reached:
            name = escape(plain_name(r.person, people))
            instead = f", so {who(r.stand_in, people)} stands in" if r.stand_in else ", and nobody stands in"
            lines.append(f":palm_tree: {name} ({r.role}) is {escape(r.why)}{instead}.")
    return [section("\n".join(lines))]


def rest_of_runbook(runbook: Runbook) -> Runbook | None:
    """The runbook without the sections `key_sections_blocks` shows, or None when nothing is left."""
    key = [runbook.section(name) for name in KEY_SECTIONS]
    rest = tuple(s for s in runbook.sections if s not in key)
    return replace(runbook, title=f"{runbook.title}: the rest", sections=rest) if rest else None


def key_sections_blocks(runbook: Runbook) -> Blocks:
    """The sections that say what to do now; the rest of the runbook follows in the thread."""
    parts = [runbook.section(name) for name in KEY_SECTIONS]
    blocks: Blocks = [header(f"Runbook: {runbook.title}")]
    for part in (p for p in parts if p is not None):
        blocks.append(section(f"*{escape(part.title)}*\n{markdown_to_mrkdwn(part.body)}"))
    return blocks if len(blocks) > 1 else [*blocks, context("The runbook has no on-call sections.")]


def _more(found: Sequence[Incident], shown: int, tail: str = "") -> Blocks:
    return [context(f"…and {len(found) - shown} more{tail}.")] if len(found) > shown else []


def list_blocks(incidents: Sequence[Incident], names: Mapping[str, str], zone: str) -> Blocks:
    if not incidents:
        return [section(":white_check_mark: No open incident.")]
    lines = [
        written_line(
            f"*#{i.id}* {escape(names.get(i.pipeline, i.pipeline))} ({i.severity}, {status_word(i)}), "
            f"{slack_time(i.declared_at, zone)}:",
            truncate(i.summary, 120),
        )
        for i in incidents[:LIST_LIMIT]
    ]
    return [header("Open incidents"), *lines, *_more(incidents, LIST_LIMIT, ", declared later")]


def timing(incident: Incident, *, reopened: bool) -> str:
    """How long acknowledging and resolving took, both counted from the declaration (also after a
    reopen, which the line then says)."""
    ack, done = incident.time_to_acknowledge, incident.time_to_resolve
    steps = [f"acknowledged {duration(ack)}"] if ack is not None else []
    steps += [f"resolved {duration(done)}"] if done is not None else []
    said = [f"{' and '.join(steps)} after it was declared"] if steps else []
    if ack is None:
        said.append("not acknowledged since it was reopened" if reopened else "not acknowledged")
    return ("reopened; " if reopened and ack is not None else "") + ", ".join(said)


def handoff_incident_blocks(report: HandoffIncidents) -> Blocks:
    """The incidents part of a handoff post: still open, and closed during the past shift, with timings;
    nothing at all after a quiet shift."""
    if not report.still_open and not report.closed:
        return []
    names = report.pipeline_names

    def lines(found: Sequence[Incident]) -> Blocks:
        shown = [
            written_line(
                f"#{i.id} {escape(names.get(i.pipeline, i.pipeline))} ({i.severity}):",
                truncate(i.summary, 100),
                f"· {timing(i, reopened=i.id in report.reopened)}",
            )
            for i in found[:HANDOFF_LIMIT]
        ]
        return shown + _more(found, HANDOFF_LIMIT)

    blocks = [section("*Incidents still open*"), *lines(report.still_open)]
    if not report.still_open:
        blocks = [section("*Incidents still open:* none")]
    if report.closed:
        blocks += [section("*Resolved since the last handoff*"), *lines(report.closed)]
    return blocks


HELP = """\
*`/incident`* — open an incident thread with the owners, who is on call and the runbook.
• `/incident` — a form: pipeline, severity, summary and an optional link
• `/incident <pipeline> [sev1|sev2|sev3] <summary>` — declare one (sev2 by default); pipeline: key or name
• `/incident list` — open incidents
• `/incident status <id>` — one incident and its timeline
• `/incident resolve <id> <resolution>` — resolve one (team members)
On a message: ⋮ → *Open an incident*."""


def help_blocks() -> Blocks:
    return [section(HELP)]


usage_blocks = partial(usage, "/incident")
