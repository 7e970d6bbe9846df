"""The "I'll cover" button under an absence: the first free teammate to press it becomes backup."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.delivery import volunteers as volunteer_notices
from bot.features.absences import volunteers as volunteer_calls
from bot.features.absences.service import AbsenceRefused
from bot.features.absences.volunteers import VolunteerOffer
from bot.features.oncall import people
from bot.messages.common import escape
from bot.messages.ids import ActionId, matching
from bot.slack.failures import after_ack


async def _say(respond: AsyncRespond, text: str) -> None:
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def take(ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
    try:
        offer = VolunteerOffer.model_validate_json(body["actions"][0].get("value", ""))
    except ValidationError:
        await _say(respond, "This button is not one of ours.")
        return
    container = body.get("container", {})
    clicked = (container.get("channel_id", ""), container.get("message_ts", ""))
    at = ctx.clock()
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, body["user"]["id"])
        if person is None:
            await _say(respond, "Only members of the team can cover.")
            return
        try:
            done = await volunteer_calls.volunteer(
                session, view=view, offer=offer, person=person, at=at, source=ctx.source
            )
        except AbsenceRefused as error:
            await _say(respond, f"Not taken: {escape(str(error))}.")
            return
    ctx.views.invalidate()
    await volunteer_notices.show_volunteer(client, view, done, clicked, at)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(matching(ActionId.VOLUNTEER))
    async def volunteer_button(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await after_ack(body, respond, take(ctx, body, client, respond))
