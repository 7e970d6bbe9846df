"""Closing "I'll cover" calls at their deadline: the channel hears once that the bot's choice stands."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import volunteer_calls
from bot.services.oncall import NoTeam
from bot.slack.blocks.absences import no_volunteer_blocks
from bot.slack.context import AppContext

log = logging.getLogger(__name__)


async def close_expired_volunteer_calls(ctx: AppContext, client: AsyncWebClient, now: datetime) -> list[int]:
    """Close every call past its deadline (stored first), then announce the stretches nobody took."""
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam:
            return []
        unclaimed = await volunteer_calls.close_due(session, view=view, at=now)
    for closed in unclaimed:
        rotation = view.rotations.get(closed.call.rotation)
        zone = rotation.timezone if rotation else view.file.timezone
        blocks = no_volunteer_blocks(closed.absent, closed.stands, view.people, zone)
        try:
            await client.chat_postMessage(
                channel=closed.call.channel, blocks=blocks, text="Nobody volunteered"
            )
        except (SlackApiError, OSError) as error:
            log.error("could not announce the closed call %s: %s", closed.call.id, error)
    return [closed.call.id for closed in unclaimed]
