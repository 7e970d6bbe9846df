"""Telling people about swaps, after the store has the change: the request, each decision, expiry.

Quiet by default: the teammate's request message is updated in place; a decision reaches the requester
by direct message; the rotation channel hears only of swaps that change the schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.swap_plan import Change
from bot.delivery import volunteers as volunteer_messages
from bot.delivery.slack_api import CALL_ERRORS, failure_reason, refusal_hint
from bot.features.oncall.views import NoTeam, TeamView
from bot.features.swaps import decisions as swap_decisions
from bot.features.swaps.decisions import Decided
from bot.messages import swaps as render
from bot.messages.common import escape
from bot.store.swaps import SwapRequest, remember_message

log = logging.getLogger(__name__)
Blocks = list[dict[str, Any]]


def _zone(view: TeamView, person: str) -> str:
    found = view.people.get(person)
    return (found.timezone if found else None) or view.file.timezone


def _slack_id(view: TeamView, person: str) -> str | None:
    found = view.people.get(person)
    return found.slack_id if found else None


async def _post(
    client: AsyncWebClient, channel: str | None, blocks: Blocks, text: str
) -> dict[str, Any] | None:
    """Send one message; a failure is logged, never raised: the change is stored already."""
    if not channel:
        return None
    try:
        response = await client.chat_postMessage(channel=channel, blocks=blocks, text=text)
    except CALL_ERRORS as error:
        log.error("could not tell %s about a swap: %s", channel, error)
        return None
    return dict(response.data) if isinstance(response.data, dict) else None


def _failure(error: Exception, where: str) -> str:
    """Why a call failed, in words for the person who asked."""
    if isinstance(error, SlackApiError):
        refusal = failure_reason(error)
        hint = refusal_hint(refusal, where)
        return f"Slack refused the message (`{escape(refusal)}`" + (f": {hint})" if hint else ")")
    return f"Slack could not be reached ({escape(str(error) or type(error).__name__)})"


async def _unreached(client: AsyncWebClient, view: TeamView, swap: SwapRequest, why: str) -> None:
    log.error("could not send swap request #%s to %s: %s", swap.id, swap.teammate, why)
    blocks = render.unreached_blocks(swap, view.people, _zone(view, swap.requester), why)
    await _post(client, _slack_id(view, swap.requester), blocks, f"Swap request #{swap.id} not delivered")


async def send_request(
    ctx: AppContext, client: AsyncWebClient, view: TeamView, swap: SwapRequest, changes: Sequence[Change]
) -> None:
    """The teammate's direct message with Approve and Decline; where it went is kept to update it later.
    If it cannot be delivered, the requester hears why; the request stays pending meanwhile."""
    teammate = view.people.get(swap.teammate)
    if teammate is None or not teammate.slack_id:
        return await _unreached(client, view, swap, "they have no Slack id in the team file")
    blocks = render.request_blocks(swap, changes, view.people, _zone(view, swap.teammate))
    requester = view.people[swap.requester].name if swap.requester in view.people else swap.requester
    try:
        answer = await client.chat_postMessage(
            channel=teammate.slack_id, blocks=blocks, text=f"{requester} asks you about a swap"
        )
    except CALL_ERRORS as error:
        return await _unreached(client, view, swap, _failure(error, f"{teammate.name}'s direct messages"))
    async with ctx.sessions() as session:
        await remember_message(session, swap_id=swap.id, channel=answer["channel"], ts=answer["ts"])
        await session.commit()


async def tell_requester(
    client: AsyncWebClient, view: TeamView, swap: SwapRequest, changes: Sequence[Change]
) -> None:
    """The requester's note that their request went out (used where no reply can carry it: the form)."""
    blocks = render.requested_blocks(swap, changes, view.people, _zone(view, swap.requester))
    await _post(client, _slack_id(view, swap.requester), blocks, f"Swap request #{swap.id} sent")


async def update_request(
    client: AsyncWebClient, view: TeamView, swap: SwapRequest, changes: Sequence[Change]
) -> None:
    """The teammate's request message, in place, with no buttons left."""
    if not (swap.dm_channel and swap.dm_ts):
        return
    blocks = render.decided_blocks(swap, view.people, _zone(view, swap.teammate), changes)
    try:
        await client.chat_update(
            channel=swap.dm_channel, ts=swap.dm_ts, blocks=blocks, text=f"Swap #{swap.id}"
        )
    except CALL_ERRORS as error:
        log.error("could not update the message of swap #%s: %s", swap.id, error)


async def announce(client: AsyncWebClient, view: TeamView, decided: Decided) -> None:
    """Everyone a decision concerns, once: the request message, the requester, the channel."""
    swap, changes = decided.swap, decided.changes
    await update_request(client, view, swap, changes)
    requester = _slack_id(view, swap.requester)
    mine = _zone(view, swap.requester)
    channel = view.config(swap.rotation).channel if swap.rotation in view.rotations else None
    match swap.state:
        case "approved":
            await _post(
                client, requester, render.approved_blocks(swap, changes, view.people, mine), "Swap approved"
            )
            zone = view.rotations[swap.rotation].timezone if channel else mine
            await _post(
                client, channel, render.approved_blocks(swap, changes, view.people, zone), "Swap approved"
            )
            for post in decided.calls:  # no longer offering what the swap settled
                if post.call.ts:
                    where = (post.call.channel, post.call.ts)
                    await volunteer_messages.update_post(client, view, post, where, swap.decided_at)
        case "declined":
            await _post(client, requester, render.declined_blocks(swap, view.people, mine), "Swap declined")
        case "expired":
            await _post(
                client, requester, render.expired_blocks(swap, view.people, mine), "Swap request expired"
            )
        case "cancelled" if swap.decided_by != swap.requester:  # an admin withdrew it for them
            blocks = render.decided_blocks(swap, view.people, mine)
            await _post(client, requester, blocks, "Swap request cancelled")
        case "reversed":
            for person in (swap.requester, swap.teammate):
                blocks = render.reversed_blocks(swap, view.people, _zone(view, person))
                await _post(client, _slack_id(view, person), blocks, "Swap reversed")
            zone = view.rotations[swap.rotation].timezone if channel else mine
            await _post(client, channel, render.reversed_blocks(swap, view.people, zone), "Swap reversed")


SWAP_EXPIRY_JOB = "swaps"  # its name for run-job


async def expire_swap_requests(ctx: AppContext, client: AsyncWebClient, now: datetime) -> list[int]:
    """Close pending requests whose first shift has started, and say so; the ids closed by this call."""
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam:
            return []
        closed = await swap_decisions.expire_due(session, at=now)
    for swap in closed:
        await announce(client, view, Decided(swap))
    return [swap.id for swap in closed]
