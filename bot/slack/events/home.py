"""App Home: rebuilt each time a user opens it, so it is never stale."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.features.alerts import integrations
from bot.features.oncall import people
from bot.features.oncall.views import NoTeam, on_call
from bot.features.swaps.requests import requests_of
from bot.messages.alerts import integrations_blocks
from bot.messages.home import home_view
from bot.messages.swaps import waiting_line
from bot.slack.failures import after_ack


async def build_home(ctx: AppContext, user_id: str) -> dict[str, Any] | None:
    """The Home view of a user, or None before any team was imported."""
    at = ctx.clock()
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam:
            return None
        me = people.person_by_slack_id(view, user_id)
        now = await on_call(session, at=at, view=view)
        summary = await people.summarize(session, view=view, person=me, at=at) if me else None
        _, swaps = await requests_of(session, person=me.id, at=at) if me else ([], [])
        admin = integrations_blocks(await integrations.listed(session)) if me and me.admin else []
    zone = view.zone_of(me)
    waiting = [waiting_line(swap, view.people, zone) for swap in swaps]
    return home_view(now=now, people=view.people, summary=summary, zone=zone, waiting=waiting, admin=admin)


async def publish_home(ctx: AppContext, client: AsyncWebClient, user: str) -> None:
    view = await build_home(ctx, user)
    if view is not None:
        await client.views_publish(user_id=user, view=view)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        await after_ack(body, None, publish_home(ctx, client, event["user"]))
