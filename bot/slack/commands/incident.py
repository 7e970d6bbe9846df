"""`/incident`: declare (stored first, then posted), list, status, resolve, or the form."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.incidents.model import Declaration, Incident
from bot.delivery.incidents import Delivery, deliver, incidents_channel, permalink
from bot.features.incidents import service as incidents
from bot.features.oncall.pipelines import typed_names
from bot.features.oncall.views import NoTeam, TeamView
from bot.messages.common import as_typed, escape, notification_text, section
from bot.messages.incident_modals import DeclareMeta, declare_modal
from bot.messages.incident_timeline import timeline_blocks
from bot.messages.incidents import (
    DeclareAnyway,
    already_open_lines,
    help_blocks,
    join_offer_blocks,
    list_blocks,
    refused_text,
    root_blocks,
    usage_blocks,
)
from bot.slack.commands import incident_parse as parse

log = logging.getLogger(__name__)
NOTES = 3  # incidents already open on the pipeline, named to the declarer at most


def typed_text(view: TeamView, text: str) -> str:
    """Text as Slack sends it (a command, a message) turned back into what its author typed."""
    return as_typed(text, {p.slack_id: p.name for p in view.file.people if p.slack_id})


@dataclass(frozen=True)
class Declared:
    incident: Incident
    created: bool
    also_open: list[Incident]  # others still open on the same pipeline, maybe the same outage


async def declare(
    ctx: AppContext,
    *,
    key: str,
    pipeline: str,
    severity: str,
    summary: str,
    link: str | None,
    slack_user: str,
    until_resolved: bool = False,
) -> Declared | str:
    """Store the incident on the pipeline with the key `pipeline` (once per key, or per key while
    open: see `incidents.declare`); a message instead when the team has no such pipeline (any more)."""
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        match = next((p for p in view.file.pipelines if p.key == pipeline), None)
        if match is None:
            keys = ", ".join(f"`{p.key}`" for p in view.file.pipelines)
            return f"No pipeline is called `{escape(pipeline[:60])}`. Try one of {keys}."
        person = next((p.id for p in view.file.people if p.slack_id == slack_user), slack_user)
        declaration = Declaration(
            pipeline=match.key,
            severity=severity,
            summary=summary,
            link=link,
            declared_by=person,
            channel=incidents_channel(ctx, view),
        )
        incident, created = await incidents.declare(
            session,
            key=key,
            declaration=declaration,
            at=ctx.clock(),
            until_resolved=until_resolved,
            source=ctx.source,
        )
        also_open = [
            i
            for i in await incidents.open_incidents(session)
            if i.pipeline == match.key and i.id != incident.id
        ]
    return Declared(incident, created, also_open)


async def post_and_link(ctx: AppContext, client: AsyncWebClient, declared: Declared) -> str:
    """Post the incident's thread; what its declarer hears: a link to it (or why there is none yet),
    and which incidents were already open on the pipeline, as one may be the same outage."""
    delivery = await deliver(ctx, client, declared.incident.id, now=ctx.clock())
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
    others = [(other, await permalink(client, other)) for other in declared.also_open[:NOTES]]
    pipeline = incidents.pipeline_name(view, declared.incident)
    notes = already_open_lines(others, pipeline, view.people, ctx.clock())
    return "\n".join([await _thread_line(client, declared.incident, delivery, view), *notes])


async def _thread_line(
    client: AsyncWebClient, incident: Incident, delivery: Delivery | None, view: TeamView
) -> str:
    if delivery and delivery.refused:
        return refused_text(delivery.incident, delivery.refused.hint, delivery.refused.told, view.people)
    posted = delivery.incident if delivery else None
    link = await permalink(client, posted) if posted else None
    if posted is None or posted.ts is None:
        return f"Incident #{incident.id} is stored; its thread will follow in {escape(incident.channel)}."
    if link is None:
        return f"Incident #{incident.id}: its thread is in {escape(incident.channel)}."
    return f"Incident #{incident.id}: <{link}|open its thread>."


def command_key(command: dict[str, Any]) -> str:
    """The same for a command Slack delivers again, different for each command typed."""
    typed = f"{command.get('user_id')}:{command.get('text')}".encode()
    return f"command:{str(command.get('trigger_id'))[:100]}:{hashlib.sha256(typed).hexdigest()[:16]}"


async def _declare_command(
    ctx: AppContext,
    ack: AsyncAck,
    respond: AsyncRespond,
    client: AsyncWebClient,
    command: dict[str, Any],
    ask: parse.Declare,
) -> None:
    key = command_key(command)
    anyway = DeclareAnyway(key=key, pipeline=ask.pipeline, severity=ask.severity, summary=ask.summary)
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        again = await incidents.declared_with(session, key) is not None  # Slack delivered it again
        others = [i for i in await incidents.open_incidents(session) if i.pipeline == ask.pipeline]
    if others and not again:  # maybe the same outage: offer to join it before a second one is opened
        name = next((p.name for p in view.file.pipelines if p.key == ask.pipeline), ask.pipeline)
        blocks = join_offer_blocks(others, name, anyway, view.people, ctx.clock())
        await ack(blocks=blocks, text=f"Incident #{others[0].id} is already open on {name}")
        return

    async def say(blocks: list[dict[str, Any]], text: str) -> None:
        await ack(blocks=blocks, text=text)

    await declare_and_answer(ctx, say, respond, client, anyway=anyway, slack_user=command.get("user_id", ""))


Say = Callable[[list[dict[str, Any]], str], Awaitable[None]]


async def declare_and_answer(
    ctx: AppContext,
    say: Say,
    respond: AsyncRespond,
    client: AsyncWebClient,
    *,
    anyway: DeclareAnyway,
    slack_user: str,
) -> None:
    """Declare as typed and `say` so at once, then post the thread and link it."""
    outcome = await declare(
        ctx,
        key=anyway.key,
        pipeline=anyway.pipeline,
        severity=anyway.severity,
        summary=anyway.summary,
        link=None,
        slack_user=slack_user,
    )
    if isinstance(outcome, str):
        await say(usage_blocks(outcome), "Unknown pipeline")
        return
    where = escape(outcome.incident.channel)
    # A new incident's link follows once its thread is posted; the ack only says it is stored.
    said = "declared; posting its thread in" if outcome.created else "was already declared; its thread is in"
    await say([section(f"Incident #{outcome.incident.id} {said} {where}.")], "Incident")
    if outcome.created:
        line = await post_and_link(ctx, client, outcome)
        await respond(text=notification_text(line), response_type="ephemeral", replace_original=False)


async def _open_form(ack: AsyncAck, client: AsyncWebClient, command: dict[str, Any], view: TeamView) -> None:
    await ack()
    meta = DeclareMeta(origin_channel=command.get("channel_id"))
    await client.views_open(trigger_id=command["trigger_id"], view=declare_modal(view.file.pipelines, meta))


async def _status(ctx: AppContext, view: TeamView, number: int) -> dict[str, Any]:
    async with ctx.sessions() as session:
        found = await incidents.status(session, view=view, incident_id=number)
    if found is None:
        return {
            "blocks": usage_blocks(escape(f"There is no incident #{number}. {parse.STATUS_USAGE}")),
            "text": "Usage",
        }
    zone, ladder = view.file.timezone, incidents.ladder_of(view, found.incident)
    blocks = root_blocks(found.incident, found.pipeline, view.people, zone)[:-1]  # buttons: on the root
    blocks += timeline_blocks(found.timeline, ladder, view.people, zone, found.unreachable)
    return {"blocks": blocks, "text": f"Incident #{number}"}


async def _list(ctx: AppContext, view: TeamView) -> dict[str, Any]:
    async with ctx.sessions() as session:
        found = await incidents.open_incidents(session)
    names = {p.key: p.name for p in view.file.pipelines}
    return {"blocks": list_blocks(found, names, view.file.timezone), "text": "Open incidents"}


async def _resolve(
    ctx: AppContext, view: TeamView, command: dict[str, Any], ask: parse.Resolve
) -> tuple[str, bool]:
    person = next((p for p in view.file.people if p.slack_id == command.get("user_id")), None)
    if person is None:
        return "Only members of the team can resolve an incident.", False
    async with ctx.sessions() as session:
        try:
            done = await incidents.resolve(
                session,
                incident_id=ask.incident,
                person=person.id,
                resolution=ask.resolution,
                at=ctx.clock(),
                source=ctx.source,
            )
        except incidents.IncidentRefused as refused:
            return escape(str(refused)), False
    return f"Incident #{done.id} is resolved.", True


async def handle(
    ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], ctx: AppContext, client: AsyncWebClient
) -> None:
    try:
        async with ctx.sessions() as session:
            view = await ctx.views.load(session)
        typed = typed_text(view, command.get("text") or "").strip()
        ask = parse.parse(typed, typed_names(view.file.pipelines))
        match ask:
            case str():
                await ack(blocks=usage_blocks(escape(ask)), text="Usage")
            case parse.Help():
                await ack(blocks=help_blocks(), text="/incident help")
            case parse.OpenForm():
                await _open_form(ack, client, command, view)
            case parse.ListOpen():
                await ack(**await _list(ctx, view), response_type="ephemeral")
            case parse.Status(number):
                await ack(**await _status(ctx, view, number), response_type="ephemeral")
            case parse.Resolve():
                said, resolved = await _resolve(ctx, view, command, ask)
                await ack(blocks=[section(said)], text=notification_text(said), response_type="ephemeral")
                if resolved:
                    await deliver(ctx, client, ask.incident, now=ctx.clock())
            case parse.Declare():
                await _declare_command(ctx, ack, respond, client, command, ask)
    except NoTeam as error:
        await ack(blocks=usage_blocks(str(error)), text=notification_text(str(error)))
    except SlackApiError as error:  # views.open refused: the trigger expired
        log.error("/incident could not open the form: %s", error)
        await respond(text="The form could not be opened; please try again.", response_type="ephemeral")


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.command("/incident")
    async def incident_command(
        ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await handle(ack, respond, command, ctx, client)
