"""`/swap`: the form, the text forms, the list and cancelling; others are told after the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import AppContext
from bot.core.swap_plan import Span
from bot.core.team import Person
from bot.delivery import swaps as swap_notices
from bot.features.oncall import people
from bot.features.oncall.views import NoTeam, TeamView
from bot.features.swaps import decisions as swap_decisions
from bot.features.swaps.requests import (
    HORIZON,
    Proposal,
    SwapRefused,
    duties_of_each,
    duty_during,
    everyones_requests,
    next_duty,
    request_swap,
    requests_of,
)
from bot.messages import swaps as swap_blocks
from bot.messages.common import Blocks, escape, notification_text, section
from bot.messages.swap_form import swap_modal
from bot.slack.commands import teammates
from bot.slack.commands.oncall_parse import BadRequest
from bot.slack.commands.swap_parse import SwapCommand, parse_swap
from bot.slack.reply import Reply, answer_in_ack

FollowUp = Callable[[], Awaitable[None]]


def not_in_team(user_id: str) -> Blocks:
    return swap_blocks.usage_blocks(
        f"You (<@{user_id}>) are not in the team file, so you have no shifts to swap. Ask an admin to add "
        f"your Slack id `{user_id}`."
    )


async def _request(
    session: AsyncSession,
    ctx: AppContext,
    client: AsyncWebClient,
    view: TeamView,
    me: Person,
    ask: SwapCommand,
    follow_ups: list[FollowUp],
) -> Blocks:
    """The text form: my shift on a date (or part of it), for the teammate's next shift or as cover."""
    at = ctx.clock()
    typed = f"<@{ask.slack_id}>" if ask.slack_id else ask.name
    teammate = teammates.teammate(view, typed)
    if teammate is None:
        return swap_blocks.usage_blocks(teammates.unknown_teammate(view, typed))
    assert ask.when is not None
    tz = ZoneInfo(view.zone_of(me))
    asked = Span(*(t.replace(tzinfo=tz) for t in ask.when))
    mine = await duty_during(session, view=view, person=me.id, span=asked)
    if mine is None:
        return swap_blocks.usage_blocks(f"You have no shift {_in(ask)}. `/oncall me` shows yours.")
    give = mine.span if ask.whole else mine.span.clip(asked)
    assert give is not None  # the shift found overlaps the asked time
    take = None
    if not ask.cover:
        theirs = await next_duty(
            session, view=view, person=teammate.id, rotation=mine.rotation, after=at, avoiding=mine.span
        )
        if theirs is None:
            weeks = HORIZON.days // 7
            return swap_blocks.usage_blocks(
                f"{escape(teammate.name)} has no shift in the next {weeks} weeks apart from yours; "
                f"add `cover` to ask them to take yours."
            )
        take = theirs.span
    proposal = Proposal(
        mine.rotation, "cover" if ask.cover else "exchange", give, take, shift_start=mine.span.start
    )
    swap, changes = await request_swap(
        session,
        view=view,
        requester=me,
        teammate=teammate,
        proposal=proposal,
        reason=ask.reason,
        source=ctx.source,
        at=at,
    )
    follow_ups.append(lambda: swap_notices.send_request(ctx, client, view, swap, changes))
    return swap_blocks.requested_blocks(swap, changes, view.people, view.zone_of(me))


def _in(ask: SwapCommand) -> str:
    """The asked time in words, as typed: a day, or a stretch."""
    assert ask.when is not None
    start, end = ask.when
    if ask.whole:
        return f"on {start.date()}"
    return f"from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"


async def _cancel(
    session: AsyncSession,
    ctx: AppContext,
    client: AsyncWebClient,
    view: TeamView,
    me: Person,
    swap_id: int,
    follow_ups: list[FollowUp],
) -> Blocks:
    decided = await swap_decisions.cancel(
        session, swap_id=swap_id, person=me, at=ctx.clock(), source=ctx.source
    )
    ctx.views.invalidate()
    follow_ups.append(lambda: swap_notices.announce(client, view, decided))
    if decided.swap.state == "reversed":
        return [
            section(
                f"Reversed swap #{swap_id}: from now on the schedule is back as before it (what already "
                "happened stays as it was); both people and the channel are told."
            )
        ]
    return [section(f"Cancelled swap request #{swap_id}; its Approve and Decline buttons are gone.")]


async def answer(
    session: AsyncSession,
    ctx: AppContext,
    client: AsyncWebClient,
    ask: SwapCommand,
    user_id: str,
    follow_ups: list[FollowUp],
) -> Blocks:
    """The blocks that answer one parsed `/swap`; `follow_ups` tell others once it is answered."""
    view = await ctx.views.load(session)
    me = people.person_by_slack_id(view, user_id)
    if me is None:
        return not_in_team(user_id)
    try:
        match ask.kind:
            case "list" if ask.everyone:
                found = await everyones_requests(session, actor=me, at=ctx.clock())
                return swap_blocks.everyone_blocks(found, view.people, view.zone_of(me))
            case "list":
                mine, waiting = await requests_of(session, person=me.id, at=ctx.clock())
                return swap_blocks.list_blocks(mine, waiting, view.people, view.zone_of(me))
            case "cancel":
                return await _cancel(session, ctx, client, view, me, ask.swap_id or 0, follow_ups)
            case _:
                return await _request(session, ctx, client, view, me, ask, follow_ups)
    except SwapRefused as error:
        return swap_blocks.usage_blocks(f"Not done: {escape(str(error))}.")


async def open_form(ctx: AppContext, ack: AsyncAck, client: AsyncWebClient, command: dict[str, Any]) -> None:
    """The modal, with my upcoming shifts and my teammates'; opened within the trigger's few seconds."""
    user_id = command.get("user_id", "")
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam as error:
            await ack(blocks=swap_blocks.usage_blocks(str(error)), text=notification_text(str(error)))
            return
        me = people.person_by_slack_id(view, user_id)
        if me is None:
            await ack(blocks=not_in_team(user_id), text="You are not in the team file.")
            return
        form = await swap_form_view(session, view, me, ctx.clock())
    if isinstance(form, str):
        await ack(blocks=swap_blocks.usage_blocks(form), text=notification_text(form))
        return
    await ack()
    await client.views_open(trigger_id=command.get("trigger_id", ""), view=form)


async def swap_form_view(
    session: AsyncSession, view: TeamView, me: Person, at: datetime, *, chosen: str | None = None
) -> dict[str, Any] | str:
    """The form over my upcoming shifts and my teammates' (only `chosen`'s once picked), or why not."""
    mates = _teammates(view, me)
    asked = [me.id, *(m.id for m in mates if chosen in (None, m.id))]
    found = await duties_of_each(session, view=view, people=asked, start=at, end=at + HORIZON)
    upcoming = {person: [d for d in held if d.span.start > at] for person, held in found.items()}
    mine = upcoming.pop(me.id)
    if not mine:
        return f"You have no shift in the next {HORIZON.days // 7} weeks to swap."
    theirs = sorted((d for held in upcoming.values() for d in held), key=lambda d: d.span.start)
    return swap_modal(mine=mine, theirs=theirs, teammates=mates, zone=view.zone_of(me), chosen=chosen)


def _teammates(view: TeamView, me: Person) -> list[Person]:
    """Everyone who shares a rotation with me and can answer in Slack."""
    shared = {m for r in view.rotations.values() if me.id in r.members for m in r.members} - {me.id}
    return [p for p in view.file.people if p.id in shared and p.slack_id]


async def handle(
    ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], ctx: AppContext, client: AsyncWebClient
) -> None:
    ask = parse_swap(command.get("text") or "")
    if isinstance(ask, BadRequest):
        await ack(blocks=swap_blocks.usage_blocks(ask.message), text=notification_text(ask.message))
        return
    if ask.kind == "help":
        await ack(blocks=swap_blocks.help_blocks(), text="How /swap works")
        return
    if ask.kind == "form":
        await open_form(ctx, ack, client, command)
        return
    follow_ups: list[FollowUp] = []

    async def work() -> Reply:
        try:
            async with ctx.sessions() as session:
                blocks = await answer(session, ctx, client, ask, command.get("user_id", ""), follow_ups)
        except NoTeam as error:
            blocks = swap_blocks.usage_blocks(str(error))
        return Reply(blocks=blocks)

    await answer_in_ack(ack, work, respond, command="/swap")
    # Stored and answered first; only then tell the others.
    for follow_up in follow_ups:
        await follow_up()


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.command("/swap")
    async def swap_command(
        ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await handle(ack, respond, command, ctx, client)
