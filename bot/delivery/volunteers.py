"""Telling the channel about "I'll cover" calls, after the store has the change: where each post went,
the post rebuilt as volunteers take stretches, and once at the deadline that the bot's choice stands."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.delivery.slack_api import CALL_ERRORS
from bot.features.absences import volunteers as volunteer_calls
from bot.features.absences.volunteers import CallPost, Closing, Volunteered
from bot.features.oncall.views import NoTeam, TeamView
from bot.messages.absences import no_volunteer_blocks, volunteer_call_blocks, volunteered_notice_blocks
from bot.store.volunteer_calls import remember_post as store_post

log = logging.getLogger(__name__)
Blocks = list[dict[str, Any]]


def _zone(view: TeamView, rotation: str) -> str:
    found = view.rotations.get(rotation)
    return found.timezone if found else view.file.timezone


async def _send(
    client: AsyncWebClient, channel: str, blocks: Blocks, text: str, ts: str | None = None
) -> None:
    """Post (or with `ts` update) one message; a failure is logged, never raised: the change is stored."""
    try:
        if ts:
            await client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
        else:
            await client.chat_postMessage(channel=channel, blocks=blocks, text=text)
    except CALL_ERRORS as error:
        log.error("could not tell %s about a call for a volunteer: %s", channel, error)


async def remember_post(ctx: AppContext, *, call: int, channel: str, ts: str) -> None:
    """Where a call's post went, so later volunteers and the deadline update it in place."""
    async with ctx.sessions() as session:
        await store_post(session, call_id=call, channel=channel, ts=ts)
        await session.commit()


async def update_post(
    client: AsyncWebClient, view: TeamView, post: CallPost, where: tuple[str, str], at: datetime | None
) -> None:
    """The call's post as things stand at `at`, in place: the covers, who volunteered, what is still
    offered. Once nothing is, it keeps times only, no "from now"."""
    zone = _zone(view, post.call.rotation)
    written = at if post.open else None
    blocks = volunteer_call_blocks(
        post.absent, post.covers, view.people, zone, post.open, post.taken, post.settled, written=written
    )
    await _send(client, where[0], blocks, "Who covers while someone is away", ts=where[1])


async def show_volunteer(
    client: AsyncWebClient, view: TeamView, done: Volunteered, clicked: tuple[str, str], at: datetime
) -> None:
    """After a volunteer: the post rebuilt, and whoever's shifts that changed (the bot's backup pick)
    told how."""
    call = done.post.call
    await update_post(client, view, done.post, (call.channel, call.ts) if call.ts else clicked, at)
    changed = {h.before.person for h in done.changes} | {h.after.person for h in done.changes}
    for person_id in sorted(p for p in changed if p and p != done.volunteer):
        person = view.people.get(person_id)
        if person and person.slack_id:
            zone = person.timezone or _zone(view, call.rotation)
            blocks = volunteered_notice_blocks(done, person_id, view.people, zone)
            await _send(client, person.slack_id, blocks, "A volunteer changed your shifts")


VOLUNTEER_JOB = "volunteers"  # its name for run-job


async def close_expired_volunteer_calls(
    ctx: AppContext, client: AsyncWebClient, now: datetime
) -> list[Closing]:
    """Close every call past its deadline (stored first); where nobody volunteered, the post loses its
    buttons and the channel hears once who stays backup. Those this call closed."""
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam:
            return []
        closed = await volunteer_calls.close_due(session, view=view, at=now)
    for unclaimed in (c for c in closed if c.stands):
        call = unclaimed.post.call
        if call.ts:
            await update_post(client, view, unclaimed.post, (call.channel, call.ts), now)
        blocks = no_volunteer_blocks(
            unclaimed.post.absent, unclaimed.stands, view.people, _zone(view, call.rotation)
        )
        await _send(client, call.channel, blocks, "Nobody volunteered")
    return closed
