"""Ticking a month-end checklist box: record who and when, update the message in place, and say in
its thread that all is done when the last box is ticked."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.team import Pipeline
from bot.delivery.scheduled import tell_all_done
from bot.delivery.slack_api import CALL_ERRORS
from bot.features.checklists import service as ticks
from bot.features.oncall import people
from bot.features.oncall.views import TeamView
from bot.messages.checklist import checklist_blocks
from bot.messages.common import escape
from bot.messages.ids import ActionId
from bot.slack.failures import after_ack
from bot.store import checklists

log = logging.getLogger(__name__)
OWNER = f"{socket.gethostname()}:{os.getpid()}"  # who claims the "all done" reply in the post ledger

MAX_UPDATES = 3


def _values(options: list[dict[str, Any]] | None) -> set[str]:
    return {o["value"] for o in options or []}


def shown_before(message: dict[str, Any], block_id: str) -> set[str]:
    """The boxes the person saw ticked: the action only says what they see now."""
    for block in message.get("blocks", []):
        if block.get("block_id") == block_id:
            return {v for e in block.get("elements", []) for v in _values(e.get("initial_options"))}
    return set()


async def tick(ctx: AppContext, body: dict[str, Any], client: AsyncWebClient) -> None:
    action = body["actions"][0]
    _, period, pipeline_key = action["block_id"].split("|", 2)
    now_ticked, before = (
        _values(action.get("selected_options")),
        shown_before(body.get("message", {}), action["block_id"]),
    )
    at = ctx.clock()
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, body["user"]["id"])
        who = person.id if person else body["user"]["id"]
        changed = [
            (int(value.rsplit("|", 1)[1]), who if value in now_ticked else None)
            for value in now_ticked ^ before
        ]
        await ticks.tick(session, period=period, pipeline=pipeline_key, changed=changed, at=at)
    pipeline = next((p for p in view.file.pipelines if p.key == pipeline_key), None)
    if pipeline is None:  # dropped from the team file since: the tick is kept, the message stays
        return
    items = await _show(ctx, client, body.get("container", {}), view, pipeline, period)
    await tell_all_done(
        ctx.sessions, client, view=view, pipeline=pipeline, period=period, items=items, owner=OWNER, now=at
    )


async def _show(
    ctx: AppContext,
    client: AsyncWebClient,
    container: dict[str, Any],
    view: TeamView,
    pipeline: Pipeline,
    period: str,
) -> list[checklists.Entry]:
    """Update the message in place with the boxes as stored; the boxes as last read."""
    shown = None
    # Two people ticking at once each update the message; the one whose update lands last may
    # show the state before the other's tick. Checking after each update settles it on the latest.
    for _ in range(MAX_UPDATES):
        async with ctx.sessions() as session:
            items = await checklists.entries(session, period=period, pipeline=pipeline.key)
        if items == shown:
            break
        try:
            await client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                blocks=checklist_blocks(pipeline, period, items, view.people, view.file.timezone),
                text=f"Month-end checklist: {escape(pipeline.name)}",
            )
        except CALL_ERRORS as error:  # the tick is stored: the next tick or reminder shows it
            log.warning("checklist %s %s: the message could not be updated: %s", pipeline.key, period, error)
            break
        shown = items
    return items


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(ActionId.TICK_CHECKLIST.value)
    async def checklist_tick(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await after_ack(body, respond, tick(ctx, body, client))
