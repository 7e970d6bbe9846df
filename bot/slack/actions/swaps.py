"""Approve and Decline on a swap request: only the named teammate, and only once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.delivery import swaps as swap_notices
from bot.features.oncall import people
from bot.features.oncall.views import TeamView
from bot.features.swaps import decisions as swap_decisions
from bot.features.swaps.decisions import Decided, NotYours, SwapClosed
from bot.features.swaps.requests import SwapRefused
from bot.messages.common import escape
from bot.messages.ids import ActionId, matching
from bot.messages.swaps import SwapButton
from bot.slack.failures import after_ack
from bot.store.swaps import SwapRequest

NOT_YOURS = "This request isn't yours: only the teammate it names can approve or decline it."


async def _say(respond: AsyncRespond, text: str) -> None:
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def answer(
    ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, *, approve: bool
) -> None:
    try:
        choice = SwapButton.model_validate_json(body["actions"][0].get("value", ""))
    except ValidationError:
        await _say(respond, "This button is not one of ours.")
        return
    at = ctx.clock()
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, body["user"]["id"])
        if person is None:
            await _say(respond, NOT_YOURS)
            return
        try:
            if approve:
                decided = await swap_decisions.approve(
                    session, view=view, swap_id=choice.swap, person=person, at=at, source=ctx.source
                )
            else:
                decided = await swap_decisions.decline(
                    session, swap_id=choice.swap, person=person, at=at, source=ctx.source
                )
        except NotYours:
            await _say(respond, NOT_YOURS)
            return
        except SwapClosed as closed:
            await _closed(client, view, closed, respond)
            return
        except SwapRefused as error:
            await _say(respond, f"Not applied: {escape(str(error))}. The request is still open.")
            return
    ctx.views.invalidate()
    await swap_notices.announce(client, view, replace(decided, swap=_with_message(decided.swap, body)))


def _with_message(swap: SwapRequest, body: dict[str, Any]) -> SwapRequest:
    """The clicked message stands in for the request message if a click beat storing where it went."""
    container = body.get("container") or {}
    if swap.dm_ts or container.get("type") != "message" or container.get("is_ephemeral"):
        return swap
    return replace(swap, dm_channel=container.get("channel_id"), dm_ts=container.get("message_ts"))


async def _closed(client: AsyncWebClient, view: TeamView, closed: SwapClosed, respond: AsyncRespond) -> None:
    """A click on a request that is no longer open: say so, and make its buttons say so too."""
    swap = closed.swap
    await _say(respond, f"Swap request #{swap.id} is {swap.state}; it can no longer be approved or declined.")
    if closed.closed_now:  # the click found it past its time: everyone hears of the expiry now
        await swap_notices.announce(client, view, Decided(swap))
    elif swap.state in ("expired", "cancelled"):  # its buttons may still show, if an update failed
        await swap_notices.update_request(client, view, swap, [])


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(matching(ActionId.APPROVE_SWAP))
    async def approve_button(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await after_ack(body, respond, answer(ctx, body, client, respond, approve=True))

    @app.action(matching(ActionId.DECLINE_SWAP))
    async def decline_button(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await after_ack(body, respond, answer(ctx, body, client, respond, approve=False))
