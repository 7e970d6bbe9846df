"""What an incident says in Slack, sent from its stored timeline: the root message and its thread
for the declaration, one thread message per later event, and the root updated in place.

Each message goes through the post ledger under its own key, and an event counts as posted only
once Slack has it; whatever failed is sent by the next sweep, and nothing is sent twice.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.incidents.audience import mentioned
from bot.core.incidents.escalation import TargetKind
from bot.core.incidents.model import Event, EventKind, Incident
from bot.delivery.alert_thread import alert_messages, root_fact
from bot.delivery.outbox import send_once
from bot.delivery.slack_api import CALL_ERRORS, refusal_hint
from bot.features.incidents import service as incidents
from bot.features.oncall.pipelines import PipelineCard, pipeline_card
from bot.features.oncall.views import TeamView
from bot.messages.common import Blocks, escape
from bot.messages.incident_timeline import NOBODY, event_blocks, event_text
from bot.messages.incidents import (
    direct_blocks,
    key_sections_blocks,
    reach_blocks,
    rest_of_runbook,
    root_blocks,
    title,
)
from bot.messages.pipeline import full_runbook_messages, owners_blocks, pipeline_blocks
from bot.store import incidents as store
from bot.store import ledger

log = logging.getLogger(__name__)
OWNER = f"{socket.gethostname()}:{os.getpid()}"
ROOT_UPDATES = 3  # updates of the root per delivery at most, however fast changes are stored


def root_key(incident_id: int) -> str:
    return f"incident:{incident_id}:root"


def incidents_channel(ctx: AppContext, view: TeamView) -> str:
    """INCIDENTS_CHANNEL, else the first rotation's channel."""
    return ctx.settings.incidents_channel or view.config(next(iter(view.rotations))).channel


async def _send(
    ctx: AppContext,
    client: AsyncWebClient,
    incident: Incident,
    part: str,
    blocks: Blocks,
    text: str,
    now: datetime,
) -> str | None:
    """Send one part of the incident once; every part but the root is a reply in the root's thread.

    None once Slack has it, else why not (`send_once`'s answer): a part another process is sending
    right now counts once it is sent.
    """
    key = root_key(incident.id) if part == "root" else f"incident:{incident.id}:{part}"
    outcome = await send_once(
        ctx.sessions,
        client,
        key=key,
        job="incident",
        channel=incident.channel,
        blocks=blocks,
        text=text,
        owner=OWNER,
        now=now,
        thread_of=None if part == "root" else root_key(incident.id),
    )
    async with ctx.sessions() as session:
        return None if await ledger.posted(session, key) is not None else outcome


async def _card(ctx: AppContext, view: TeamView, incident: Incident, now: datetime) -> PipelineCard | None:
    """The pipeline's owners, who is on call and its runbook; None once it left the team file."""
    pipeline = next((p for p in view.file.pipelines if p.key == incident.pipeline), None)
    if pipeline is None:
        return None
    async with ctx.sessions() as session:
        return await pipeline_card(
            session, view=view, pipeline=pipeline, at=now, runbooks_dir=ctx.runbooks_dir
        )


async def _thread_messages(
    ctx: AppContext, view: TeamView, incident: Incident, now: datetime
) -> list[Blocks]:
    """What the alert said (when one opened it), who is reached, the owners and the runbook: only the
    alert once the pipeline left the team file (or for an alert no pipeline claims)."""
    async with ctx.sessions() as session:
        alert = await alert_messages(session, view=view, incident=incident)
    card = await _card(ctx, view, incident, now)
    if card is None:
        return alert
    reach = reach_blocks(incidents.reaches(card), view.people, actor=incident.declared_by)
    if card.runbook is None:
        return [*alert, reach, pipeline_blocks(card, view.people, with_runbook=False, notify=False)]
    cards = [*owners_blocks(card, view.people, notify=False), *key_sections_blocks(card.runbook)]
    # The on-call sections first, then the rest of the runbook: each section once.
    rest = rest_of_runbook(card.runbook)
    return [*alert, reach, cards[:50], *(full_runbook_messages(rest) if rest else [])]


async def _root(ctx: AppContext, view: TeamView, incident: Incident) -> Blocks:
    async with ctx.sessions() as session:
        firing = await root_fact(session, view=view, incident=incident)
    pipeline = incidents.pipeline_name(view, incident)
    return root_blocks(incident, pipeline, view.people, view.file.timezone, firing)


async def _declaration(
    ctx: AppContext, client: AsyncWebClient, view: TeamView, incident: Incident, now: datetime
) -> str | None:
    pipeline = incidents.pipeline_name(view, incident)
    root = await _root(ctx, view, incident)
    if why := await _send(ctx, client, incident, "root", root, title(incident, pipeline), now):
        return why
    async with ctx.sessions() as session:
        where = await ledger.posted(session, root_key(incident.id))
        assert where is not None
        await store.mark_posted(session, incident_id=incident.id, channel=where[0], ts=where[1])
        await session.commit()
    for n, blocks in enumerate(await _thread_messages(ctx, view, incident, now)):
        if why := await _send(ctx, client, incident, f"thread:{n}", blocks, title(incident, pipeline), now):
            return why  # the rest waits, so the thread keeps its order
    return None


async def _update_root(ctx: AppContext, client: AsyncWebClient, view: TeamView, incident_id: int) -> bool:
    """Show the stored state on the root message, read right before the update and once more after
    it: a change stored meanwhile, whose own delivery may have updated the root first, still shows."""
    shown = None
    for _ in range(ROOT_UPDATES):
        async with ctx.sessions() as session:
            incident = await store.get(session, incident_id)
        if incident is None or incident.ts is None:
            return False
        blocks = await _root(ctx, view, incident)
        if blocks == shown:
            break
        try:
            await client.chat_update(
                channel=incident.channel, ts=incident.ts, blocks=blocks, text=f"Incident #{incident.id}"
            )
        except CALL_ERRORS as error:
            log.error(
                "incident #%s: the root message could not be updated, will retry: %s", incident_id, error
            )
            return False
        shown = blocks
    return True


async def _event(
    ctx: AppContext, client: AsyncWebClient, view: TeamView, incident: Incident, event: Event, now: datetime
) -> str | None:
    ladder = incidents.ladder_of(view, incident)
    async with ctx.sessions() as session:
        called = await incidents.unreachable_called(session, view=view, incident=incident, events=[event])
    blocks = event_blocks(event, ladder, view.people, called.get(event.id, NOBODY))
    text = event_text(event, ladder, view.people, called.get(event.id, NOBODY))
    if event.kind is EventKind.REOPENED and (card := await _card(ctx, view, incident, now)):
        # Whoever owns it and is on call now hears of it again, as on the declaration.
        blocks = [
            *blocks,
            *reach_blocks(incidents.reaches(card), view.people, actor=event.actor, did="reopened it"),
        ]
    return await _send(ctx, client, incident, f"event:{event.id}", blocks, text, now)


async def _post(
    ctx: AppContext, client: AsyncWebClient, view: TeamView, incident_id: int, event: Event, now: datetime
) -> str | None:
    """Send one event's messages, from the incident as stored now; None once Slack has them."""
    async with ctx.sessions() as session:
        incident = await store.get(session, incident_id)
    assert incident is not None
    if event.kind is EventKind.DECLARED:
        return await _declaration(ctx, client, view, incident, now)
    if incident.ts is None:
        return "waiting: the root message is not posted yet"
    return await _event(ctx, client, view, incident, event, now)


@dataclass(frozen=True)
class Refusal:
    """Slack refused the thread for a reason no retry changes."""

    hint: str  # what to do about it
    told: tuple[str, ...]  # those told by direct message instead: person ids, or Slack ids outside the team


@dataclass(frozen=True)
class Delivery:
    incident: Incident
    refused: Refusal | None = None


async def deliver(
    ctx: AppContext, client: AsyncWebClient, incident_id: int, *, now: datetime
) -> Delivery | None:
    """Post what the incident's thread is missing, oldest first, stopping at the first message not
    sent (failed, or being sent by another delivery right now); then show the latest state on the
    root message. An event counts as posted once its message is in the thread and the root shows it.

    When Slack refuses for good (the bot is not in the channel...), whom the events not posted would
    have mentioned are told by direct message instead, once each.
    """
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        pending = [e for e in await store.events(session, incident_id) if not e.posted]
        if await store.get(session, incident_id) is None:
            return None
    sent: list[Event] = []
    blocked = None
    for event in pending:
        if blocked := await _post(ctx, client, view, incident_id, event, now):
            break
        sent.append(event)
    unsent = pending[len(sent) :]
    changes = any(e.kind is not EventKind.DECLARED for e in pending)
    if changes and not await _update_root(ctx, client, view, incident_id):
        sent = [e for e in sent if e.kind is EventKind.DECLARED]  # the others wait for the next sweep
    async with ctx.sessions() as session:
        for event in sent:
            await store.mark_event_posted(session, event_id=event.id)
        await session.commit()
        incident = await store.get(session, incident_id)
    assert incident is not None
    hint = refusal_hint(blocked.removeprefix("failed: "), incident.channel) if blocked else None
    if hint is None:
        return Delivery(incident)
    told = await _tell_directly(ctx, client, view, incident, unsent, hint, now)
    return Delivery(incident, Refusal(hint, tuple(told)))


async def _as_direct(
    ctx: AppContext, view: TeamView, incident: Incident, event: Event, now: datetime
) -> tuple[str, list[str]]:
    """What the thread would say of the event, and whom it would mention: person ids, or Slack ids of
    people outside the team."""
    ladder = incidents.ladder_of(view, incident)
    if event.kind is EventKind.DECLARED:
        card = await _card(ctx, view, incident, now)
        return event_text(event, ladder, view.people), mentioned(incidents.reaches(card)) if card else []
    if event.kind is not EventKind.ESCALATED or not event.level or event.level > len(ladder):
        return event_text(event, ladder, view.people), []  # it mentions nobody
    async with ctx.sessions() as session:
        called = await incidents.unreachable_called(session, view=view, incident=incident, events=[event])
    away = called.get(event.id, NOBODY)
    people = (TargetKind.PERSON, TargetKind.USER)
    targets = [t.ref for t in ladder[event.level - 1].targets if t.kind in people and t.ref not in away]
    return event_text(event, ladder, view.people, away), targets


async def _tell_directly(
    ctx: AppContext,
    client: AsyncWebClient,
    view: TeamView,
    incident: Incident,
    events: Sequence[Event],
    hint: str,
    now: datetime,
) -> list[str]:
    """Tell whom the events would have mentioned by direct message, once per event each (all but
    whoever caused the event); those told."""
    pipeline = incidents.pipeline_name(view, incident)
    told: list[str] = []
    for event in events:
        said, people = await _as_direct(ctx, view, incident, event, now)
        blocks = direct_blocks(incident, pipeline, said, incident.channel, hint)
        for person in (p for p in people if p != event.actor):
            slack_id = view.people[person].slack_id if person in view.people else person
            if not slack_id:
                continue  # named in the thread, never mentioned: no way to write to them
            outcome = await send_once(
                ctx.sessions,
                client,
                key=f"incident:{incident.id}:direct:{event.id}:{person}",
                job="incident",
                channel=slack_id,
                blocks=blocks,
                text=title(incident, escape(pipeline)),
                owner=OWNER,
                now=now,
            )
            if outcome in ("sent", "already sent") and person not in told:
                told.append(person)
    return told


async def permalink(client: AsyncWebClient, incident: Incident) -> str | None:
    """A link to the incident's thread, when Slack gives one."""
    if incident.ts is None:
        return None
    try:
        answer = await client.chat_getPermalink(channel=incident.channel, message_ts=incident.ts)
    except CALL_ERRORS as error:
        log.warning("no permalink for incident #%s: %s", incident.id, error)
        return None
    link = answer.get("permalink")
    return link if isinstance(link, str) else None
