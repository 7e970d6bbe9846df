"""The "I'll cover" button under an absence: the first free teammate to press it becomes backup."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import absences, people
from bot.services.absences import VolunteerOffer
from bot.slack.blocks.absences import volunteered_blocks
from bot.slack.blocks.common import escape
from bot.slack.context import AppContext
from bot.slack.ids import ActionId, matching


async def take(ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
    try:
        offer = VolunteerOffer.model_validate_json(body["actions"][0].get("value", ""))
    except ValidationError:
        await respond(
            text="This button is not one of ours.", response_type="ephemeral", replace_original=False
        )
        return
    container = body.get("container", {})
    channel, ts = container.get("channel_id", ""), container.get("message_ts", "")
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, body["user"]["id"])
        if person is None:
            await respond(
                text="Only members of the team can cover.", response_type="ephemeral", replace_original=False
            )
            return
        try:
            await absences.volunteer(
                session,
                view=view,
                offer=offer,
                person=person,
                at=ctx.clock(),
                channel=channel,
                ts=ts,
                source=ctx.source,
            )
        except absences.AbsenceRefused as error:
            await respond(
                text=f"Not taken: {escape(str(error))}.", response_type="ephemeral", replace_original=False
            )
            return
    ctx.views.invalidate()
    zone = view.rotations[offer.rotation].timezone
    blocks = volunteered_blocks(offer, person.id, view.people, zone)
    await client.chat_update(channel=channel, ts=ts, blocks=blocks, text=f"{person.name} volunteered")


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(matching(ActionId.VOLUNTEER))
    async def volunteer_button(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await take(ctx, body, client, respond)
