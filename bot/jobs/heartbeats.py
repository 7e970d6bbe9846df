"""The heartbeat sweep, run every minute: an incident for each pipeline late past its grace, posted
through the incident thread's delivery like any other."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.delivery.incidents import deliver, incidents_channel
from bot.features.alerts import heartbeats
from bot.features.oncall.views import NoTeam


async def sweep_heartbeats(ctx: AppContext, client: AsyncWebClient, *, now: datetime) -> list[int]:
    """Open what lateness calls for at `now`; the ids of the incidents opened."""
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam:
            return []
    taken = await heartbeats.sweep(ctx.sessions, view=view, channel=incidents_channel(ctx, view), now=now)
    opened = [t.incident_id for t in taken if t.told and t.incident_id is not None]
    for incident_id in opened:
        await deliver(ctx, client, incident_id, now=now)
    return opened
