"""Block Kit for a pipeline: owners, who covers it now and can be reached, and its runbook."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.runbooks.parse import Runbook
from bot.core.team import Person, Pipeline
from bot.features.oncall.pipelines import PipelineCard
from bot.messages.common import actions, button, context, escape, header, section, split_text
from bot.messages.ids import ActionId
from bot.messages.oncall import reach_text, who

Blocks = list[dict[str, Any]]
People = Mapping[str, Person]
MESSAGE_BLOCK_LIMIT = 50


def markdown_to_mrkdwn(text: str) -> str:
    """Runbook Markdown as Slack mrkdwn; the runbook is trusted text, but never a broadcast mention."""
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"^#{1,6}\s*(.+)$", r"*\1*", text, flags=re.MULTILINE)
    return re.sub(r"^(\s*)[-*]\s+", r"\1• ", text, flags=re.MULTILINE)


def owners_blocks(card: PipelineCard, people: People, *, notify: bool = True) -> Blocks:
    """Owners, who is on call and whether each can be reached, and the escalation contacts; named
    without mentions when `notify` is off (an incident thread mentions whom it reaches only once)."""
    p = card.pipeline

    def reachable(person: str | None) -> str:
        return f"{who(person, people, notify=notify)} · {reach_text(card.reach.get(person or ''))}"

    owners = "\n".join(
        f"*{label} owner:* {reachable(pid)}"
        for label, pid in (("Primary", p.primary), ("Secondary", p.secondary))
    )
    on_call = "\n".join(
        f"*On call ({escape(a.rotation.name)}):* "
        + ", ".join(
            f"{role} {reachable(seg.person)}"
            for role, seg in (("primary", a.primary), ("backup", a.backup))
            if seg
        )
        for a in card.on_call
        if a.primary
    )
    kind = "investor-facing" if p.investor_facing else "internal"
    blocks: Blocks = [
        header(p.name),
        context(f"`{p.key}` · area {escape(p.area)} · {kind}"),
        section(owners + ("\n" + on_call if on_call else "")),
    ]
    if p.escalation:
        contacts = ", ".join(_contact(c, people, notify=notify) for c in p.escalation)
        blocks.append(context(f"Escalation beyond the owners: {contacts}"))
    return blocks


def _contact(contact: Any, people: People, *, notify: bool) -> str:
    if isinstance(contact, str):
        return who(contact, people, notify=notify)
    if not notify or not contact.slack:
        return escape(contact.name)
    if contact.slack.startswith("S"):
        return f"<!subteam^{contact.slack}>"
    return f"<#{contact.slack}>" if contact.slack[0] in "CG" else f"<@{contact.slack}>"


def runbook_section_blocks(runbook: Runbook) -> Blocks:
    blocks: Blocks = []
    for part in runbook.sections:
        texts = split_text(markdown_to_mrkdwn(part.body))
        blocks.append(section(f"*{escape(part.title)}*\n{texts[0]}" if texts else f"*{escape(part.title)}*"))
        blocks.extend(section(t) for t in texts[1:])
    return blocks


def pipeline_blocks(card: PipelineCard, people: People, *, with_runbook: bool, notify: bool = True) -> Blocks:
    """The card of a pipeline; with the runbook when asked, kept within one message's limits."""
    blocks = owners_blocks(card, people, notify=notify)
    if card.runbook_problem:
        blocks.append(section(f":warning: The runbook could not be read: {escape(card.runbook_problem)}"))
    if card.runbook is None:
        if not card.runbook_problem:
            blocks.append(context("No runbook is on file for this pipeline."))
        return blocks
    show = actions(button("Show the full runbook", ActionId.SHOW_RUNBOOK, card.pipeline.key))
    if not with_runbook:
        return [*blocks, show]
    body = runbook_section_blocks(card.runbook)
    room = MESSAGE_BLOCK_LIMIT - len(blocks)
    if len(body) <= room:
        return blocks + body
    return [*blocks, *body[: room - 2], context("The runbook is longer than one message."), show]


def full_runbook_messages(runbook: Runbook) -> list[Blocks]:
    """The whole runbook as consecutive messages, each within the block limit."""
    body = [header(runbook.title), *runbook_section_blocks(runbook)]
    return [body[i : i + MESSAGE_BLOCK_LIMIT] for i in range(0, len(body), MESSAGE_BLOCK_LIMIT)]


def candidates_blocks(query: str, candidates: Sequence[Pipeline]) -> Blocks:
    buttons = [button(p.name, ActionId.SHOW_RUNBOOK, p.key) for p in candidates[:5]]
    return [section(f"`{escape(query[:60])}` could mean several pipelines. Which one?"), actions(*buttons)]


def list_blocks(pipelines: Sequence[Pipeline], people: People) -> Blocks:
    lines = [
        f"• *{escape(p.name)}* (`{p.key}`) · {who(p.primary, people)}, {who(p.secondary, people)}"
        + (" · investor-facing" if p.investor_facing else "")
        for p in pipelines
    ]
    blocks: Blocks = [
        header("Runbooks"),
        *[section(t) for t in split_text("\n".join(lines) or "_No pipelines._")],
    ]
    return [*blocks, context("Type `/runbook <name>`; names, keys and aliases work, typos too.")]
