"""Acknowledge on an incident's root message: team members only, recorded once."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import incidents, people
from bot.slack.blocks.incidents import root_blocks
from bot.slack.context import AppContext
from bot.slack.ids import ActionId, matching


async def acknowledge(
    ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
) -> None:
    value = str(body["actions"][0].get("value", ""))
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, body["user"]["id"])
        if person is None:
            await respond(
                text="Only members of the team can acknowledge.",
                response_type="ephemeral",
                replace_original=False,
            )
            return
        if not value.isdigit() or not await incidents.acknowledge(
            session, incident_id=int(value), person=person.id, at=ctx.clock()
        ):
            await respond(
                text="It was already acknowledged.", response_type="ephemeral", replace_original=False
            )
            return
        incident = await incidents.find(session, int(value))
    assert incident is not None and incident.ts is not None
    pipeline = next(p for p in view.file.pipelines if p.key == incident.pipeline)
    blocks = root_blocks(incident, pipeline, view.people, view.file.timezone)
    await client.chat_update(
        channel=body["container"]["channel_id"],
        ts=incident.ts,
        blocks=blocks,
        text=f"Incident #{incident.id}",
    )
    text = f"Acknowledged by {person.name}."
    await client.chat_postMessage(channel=body["container"]["channel_id"], thread_ts=incident.ts, text=text)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(matching(ActionId.ACK_INCIDENT))
    async def ack_incident(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await acknowledge(ctx, body, client, respond)
