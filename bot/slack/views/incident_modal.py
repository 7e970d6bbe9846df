"""Submissions of the incident modals: declaring one, and resolving one with a one-line resolution."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.incidents.model import SEVERITIES
from bot.delivery.incidents import deliver
from bot.features.incidents import service as incidents
from bot.features.oncall import people
from bot.messages.common import escape
from bot.messages.ids import ActionId
from bot.messages.incident_modals import DeclareMeta, ResolveMeta, submitted
from bot.messages.incidents import SAFE_URL
from bot.slack.commands.incident import declare, post_and_link

log = logging.getLogger(__name__)


def declaration_errors(view: dict[str, Any]) -> dict[str, str]:
    """What the form must say next to its inputs before anything is stored."""
    errors = {}
    if submitted(view, "pipeline") is None:
        errors["pipeline"] = "Pick the pipeline that broke."
    if submitted(view, "severity") not in SEVERITIES:
        errors["severity"] = "Pick sev1, sev2 or sev3."
    if submitted(view, "summary") is None:
        errors["summary"] = "Say what is wrong, in a sentence."
    link = submitted(view, "link")
    if link is not None and not SAFE_URL.match(link):
        errors["link"] = "A link starts with https:// and has no spaces."
    return errors


def _meta(view: dict[str, Any]) -> DeclareMeta:
    try:
        return DeclareMeta.model_validate_json(view.get("private_metadata") or "{}")
    except ValidationError:
        return DeclareMeta()


async def _tell_declarer(client: AsyncWebClient, meta: DeclareMeta, user: str, text: str) -> None:
    """Only the declarer sees it: in the channel they started from, else in a direct message."""
    if meta.origin_channel:
        try:
            await client.chat_postEphemeral(channel=meta.origin_channel, user=user, text=text)
            return
        except SlackApiError as error:  # a private channel or a DM the bot is not in: write to them
            log.info("no ephemeral in %s, telling %s directly: %s", meta.origin_channel, user, error)
    try:
        await client.chat_postMessage(channel=user, text=text)
    except SlackApiError as error:  # the thread is posted all the same
        log.warning("could not tell %s about the incident: %s", user, error)


async def declare_submitted(
    ctx: AppContext, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    view = body["view"]
    if errors := declaration_errors(view):
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    meta, user = _meta(view), body["user"]["id"]
    outcome = await declare(
        ctx,
        key=meta.key or f"view:{view['id']}",
        until_resolved=meta.key is not None,  # one open incident per message, not one for ever
        pipeline=submitted(view, "pipeline") or "",
        severity=submitted(view, "severity") or "",
        summary=submitted(view, "summary") or "",
        link=submitted(view, "link"),
        slack_user=user,
    )
    if isinstance(outcome, str):
        await _tell_declarer(client, meta, user, outcome)
        return
    if outcome.created:
        line = await post_and_link(ctx, client, outcome)
    else:
        line = f"Incident #{outcome.incident.id} was already declared from this; its thread is in "
        line += escape(outcome.incident.channel) + "."
    await _tell_declarer(client, meta, user, line)


async def resolve_submitted(
    ctx: AppContext, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    view = body["view"]
    resolution = submitted(view, "resolution")
    if resolution is None:
        await ack(response_action="errors", errors={"resolution": "Say in one line what fixed it."})
        return
    number = ResolveMeta.model_validate_json(view["private_metadata"]).incident
    async with ctx.sessions() as session:
        team = await ctx.views.load(session)
        person = people.person_by_slack_id(team, body["user"]["id"])
        if person is None:
            refusal = "Only members of the team can resolve an incident."
            await ack(response_action="errors", errors={"resolution": refusal})
            return
        try:
            await incidents.resolve(
                session,
                incident_id=number,
                person=person.id,
                resolution=resolution,
                at=ctx.clock(),
                source=ctx.source,
            )
        except incidents.IncidentRefused as refused:
            await ack(response_action="errors", errors={"resolution": str(refused)})
            return
    await ack()
    await deliver(ctx, client, number, now=ctx.clock())


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.view(ActionId.DECLARE_INCIDENT_VIEW.value)
    async def incident_declared(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await declare_submitted(ctx, ack, body, client)

    @app.view(ActionId.RESOLVE_INCIDENT_VIEW.value)
    async def incident_resolved(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await resolve_submitted(ctx, ack, body, client)
