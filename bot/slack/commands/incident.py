"""`/incident`: store the incident first, acknowledge, then post its thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import incidents
from bot.services.oncall import NoTeam, TeamView
from bot.services.pipelines import PipelineCard, find_pipeline, pipeline_card
from bot.slack.blocks.common import escape
from bot.slack.blocks.incidents import help_blocks, list_blocks, reach_blocks, root_blocks
from bot.slack.blocks.oncall import usage_blocks
from bot.slack.blocks.pipeline import pipeline_blocks
from bot.slack.context import AppContext
from bot.teamfile.schema import Pipeline

log = logging.getLogger(__name__)
Blocks = list[dict[str, Any]]
USAGE = (
    "Usage: `/incident <pipeline> [sev1|sev2|sev3] <summary>`, e.g. `/incident growth late data from Kafka`."
)


@dataclass(frozen=True)
class Posting:
    """What to post after the acknowledgement: the root message and its thread."""

    incident: incidents.Incident
    pipeline: Pipeline
    card: PipelineCard
    view: TeamView


@dataclass(frozen=True)
class Declaration:
    pipeline: str
    severity: str
    summary: str


def parse_declaration(text: str) -> Declaration | str:
    """`<pipeline> [sev1|sev2|sev3] <summary>`, or what is wrong with it."""
    words = text.split()
    if len(words) < 2:
        return USAGE
    severity = words[1].lower() if words[1].lower() in incidents.SEVERITIES else "sev2"
    summary = " ".join(words[2:] if words[1].lower() in incidents.SEVERITIES else words[1:])
    if not summary:
        return "Say what is wrong after the severity, e.g. `/incident growth sev1 numbers are zero`."
    return Declaration(words[0], severity, summary[:500])


async def _declare(
    ctx: AppContext, command: dict[str, Any], declaration: Declaration
) -> tuple[Blocks, Posting | None]:
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        pipeline, candidates = find_pipeline(view, declaration.pipeline)
        if pipeline is None:
            keys = ", ".join(f"`{p.key}`" for p in (candidates or view.file.pipelines))
            return usage_blocks(
                f"No pipeline is called `{escape(declaration.pipeline[:60])}`. Try one of {keys}."
            ), None
        channel = view.config(next(iter(view.rotations))).channel
        incident, created = await incidents.declare(
            session,
            key=f"command:{command.get('trigger_id') or command.get('user_id')}:{declaration.summary}",
            pipeline=pipeline.key,
            severity=declaration.severity,
            summary=declaration.summary,
            declared_by=_person_id(view, command.get("user_id", "")),
            channel=channel,
            at=ctx.clock(),
        )
        card = await pipeline_card(
            session, view=view, pipeline=pipeline, at=ctx.clock(), runbooks_dir=ctx.runbooks_dir
        )
    said = "declared" if created else "was already declared"
    reply = [*usage_blocks(f"Incident #{incident.id} {said}; its thread is in {escape(channel)}.")[:1]]
    return reply, Posting(incident, pipeline, card, view) if created else None


def _person_id(view: TeamView, slack_id: str) -> str:
    return next((p.id for p in view.file.people if p.slack_id == slack_id), slack_id)


async def _post_thread(client: AsyncWebClient, posting: Posting, ctx: AppContext) -> None:
    incident, view = posting.incident, posting.view
    root_message = root_blocks(incident, posting.pipeline, view.people, view.file.timezone)
    thread = (
        reach_blocks(incidents.audience(posting.card), view.people),
        pipeline_blocks(posting.card, view.people, with_runbook=True),
    )
    try:
        root = await client.chat_postMessage(
            channel=incident.channel, blocks=root_message, text=f"Incident #{incident.id}"
        )
        async with ctx.sessions() as session:
            await incidents.mark_posted(session, incident_id=incident.id, ts=root["ts"])
        for blocks in thread:
            await client.chat_postMessage(
                channel=root["channel"], thread_ts=root["ts"], blocks=blocks, text="Incident"
            )
    except (SlackApiError, OSError) as error:
        # The incident is stored; what failed to post is in the log, and `/incident status` still shows it.
        log.error("incident #%s could not be posted completely: %s", incident.id, error)


async def handle(ack: AsyncAck, command: dict[str, Any], ctx: AppContext, client: AsyncWebClient) -> None:
    text = (command.get("text") or "").strip()
    words = text.split()
    try:
        if not words or words[0].lower() == "help":
            await ack(blocks=help_blocks(), text="/incident help")
            return
        if words[0].lower() in ("list", "status"):
            await ack(**await _list_or_status(ctx, words), response_type="ephemeral")
            return
        declaration = parse_declaration(text)
        if isinstance(declaration, str):
            await ack(blocks=usage_blocks(declaration), text=declaration)
            return
        blocks, posting = await _declare(ctx, command, declaration)
    except NoTeam as error:
        await ack(blocks=usage_blocks(str(error)), text=str(error))
        return
    await ack(blocks=blocks, text="Incident", response_type="ephemeral")
    if posting is not None:
        await _post_thread(client, posting, ctx)


async def _list_or_status(ctx: AppContext, words: list[str]) -> dict[str, Any]:
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        names = {p.key: p.name for p in view.file.pipelines}
        if words[0].lower() == "list":
            return {
                "blocks": list_blocks(await incidents.open_incidents(session), names, view.file.timezone),
                "text": "Incidents",
            }
        found = (
            await incidents.find(session, int(words[1]))
            if len(words) == 2 and words[1].lstrip("#").isdigit()
            else None
        )
    if found is None:
        return {
            "blocks": usage_blocks("Usage: `/incident status <id>` with the number of an incident."),
            "text": "Usage",
        }
    pipeline = next(p for p in view.file.pipelines if p.key == found.pipeline)
    return {
        "blocks": root_blocks(found, pipeline, view.people, view.file.timezone),
        "text": f"Incident #{found.id}",
    }


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.command("/incident")
    async def incident_command(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await handle(ack, command, ctx, client)
