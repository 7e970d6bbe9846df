"""Submitting the `/swap` form: every rule is checked before the form closes, next to its input."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.swap_plan import Span
from bot.delivery import swaps as swap_notices
from bot.delivery.slack_api import CALL_ERRORS
from bot.features.oncall import people
from bot.features.swaps.requests import Proposal, SwapRefused, request_swap
from bot.messages.ids import ActionId
from bot.messages.swap_form import SwapForm, read_form
from bot.slack.commands.swap import swap_form_view

log = logging.getLogger(__name__)
ERROR_LIMIT = 150  # Slack shows an input's error in one short line


def _give(form: SwapForm) -> Span | None:
    """My shift, or only the part of it the form names."""
    start, end = form.part
    return form.mine.clip(Span(start or form.mine.start, end or form.mine.end))


async def submitted(ctx: AppContext, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
    form = read_form(body["view"].get("state", {}).get("values", {}))
    if not isinstance(form, SwapForm):
        await ack(response_action="errors", errors=form)
        return
    give = _give(form)
    if give is None:
        await ack(response_action="errors", errors={"part_from": "The part must lie within your shift."})
        return
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        me = people.person_by_slack_id(view, body["user"]["id"])
        teammate = view.people.get(form.teammate)
        if me is None or teammate is None:
            await ack(response_action="errors", errors={"teammate": "Only people in the team file can swap."})
            return
        take = form.theirs[1] if form.theirs else None
        proposal = Proposal(
            form.rotation, "exchange" if take else "cover", give, take, shift_start=form.mine.start
        )
        try:
            swap, changes = await request_swap(
                session,
                view=view,
                requester=me,
                teammate=teammate,
                proposal=proposal,
                reason=form.reason,
                source=ctx.source,
                at=ctx.clock(),
            )
        except SwapRefused as error:
            message = str(error)
            await ack(
                response_action="errors", errors={error.field: message[:1].upper() + message[1:ERROR_LIMIT]}
            )
            return
    await ack()
    # The requester's note first, so that a request that cannot reach the teammate is told after it.
    await swap_notices.tell_requester(client, view, swap, changes)
    await swap_notices.send_request(ctx, client, view, swap, changes)


async def teammate_picked(
    ctx: AppContext, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    """A teammate was picked: the form comes back offering only their shifts in exchange."""
    await ack()
    chosen = (body["actions"][0].get("selected_option") or {}).get("value")
    form = body.get("view") or {}
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        me = people.person_by_slack_id(view, body["user"]["id"])
        if me is None:
            return
        updated = await swap_form_view(session, view, me, ctx.clock(), chosen=chosen)
    if isinstance(updated, str):
        return
    # The hash makes Slack refuse the update if the form changed meanwhile: the newer one stands.
    try:
        await client.views_update(view_id=form.get("id"), hash=form.get("hash"), view=updated)
    except CALL_ERRORS as error:
        log.info("the swap form was not updated for the teammate picked: %s", error)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.view(ActionId.SWAP_VIEW.value)
    async def swap_form(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await submitted(ctx, ack, body, client)

    @app.action(ActionId.SWAP_TEAMMATE.value)
    async def swap_teammate(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await teammate_picked(ctx, ack, body, client)
