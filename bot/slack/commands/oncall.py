"""`/oncall`: parse, look up, render, answer in the acknowledgement itself."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import AppContext
from bot.core.team import Person
from bot.features.calendar import feeds as calendar
from bot.features.checklists.service import state as checklist_state
from bot.features.handoff.notes import NoteRefused, leave_note
from bot.features.oncall import people
from bot.features.oncall.pipelines import lookup
from bot.features.oncall.views import NoTeam, TeamView, holiday_records, on_call, schedule
from bot.messages import oncall as oncall_blocks
from bot.messages.calendar import calendar_blocks
from bot.messages.checklist import checklist_state_blocks
from bot.messages.common import Blocks, escape, notification_text, section
from bot.messages.history import history_blocks
from bot.messages.pipeline import candidates_blocks, pipeline_blocks
from bot.messages.timefmt import slack_time
from bot.slack.commands import away, teammates
from bot.slack.commands.away import Notice
from bot.slack.commands.oncall_parse import BadRequest, OncallRequest, closest_subcommand, parse_oncall
from bot.slack.reply import Reply, answer_in_ack
from bot.store import audit


async def answer(
    session: AsyncSession,
    ctx: AppContext,
    request: OncallRequest,
    user_id: str,
    notices: list[Notice],
) -> Blocks:
    """The blocks that answer one parsed `/oncall` request; `notices` collects what to tell others after."""
    at = ctx.clock()
    view = await ctx.views.load(session)
    everyone = view.people
    me = people.person_by_slack_id(view, user_id)
    match request.kind:
        case "now":
            _, answers = await ctx.views.on_call(session, at=at)
            mine = set(people.rotations_of(view, me))
            return oncall_blocks.now_blocks([a for a in answers if a.rotation.name in mine], everyone)
        case "next":
            return await _next(session, view, at, me, everyone)
        case "schedule":
            end = at + timedelta(weeks=request.weeks)
            items = await schedule(session, start=at, end=end, view=view)
            return oncall_blocks.schedule_blocks(items, everyone, weeks=request.weeks)
        case "me" | "person":
            return await _person(session, view, request, me, at, user_id)
        case "holidays":
            year = request.year or at.astimezone(ZoneInfo(view.file.timezone)).year
            records = await holiday_records(session, year=year, view=view)
            return oncall_blocks.holidays_blocks(records, everyone, year=year)
        case "calendar":
            return await _calendar(session, ctx, view, me, user_id, reset=request.reset)
        case "checklist":
            return await _checklist(session, ctx, view, at)
        case "away":
            return await _away(session, ctx, view, me, user_id, request, notices)
        case "history":
            entries = await audit.recent(session, limit=request.count)
            return history_blocks(entries, everyone, zone=view.zone_of(me))
        case "handoff":
            return await _handoff_note(session, view, me, user_id, request.query, at)
        case "pipeline":
            return await _pipeline(session, ctx, view, request.query, me, at)
        case _:
            return oncall_blocks.help_blocks()


async def _next(
    session: AsyncSession, view: TeamView, at: datetime, me: Person | None, everyone: Mapping[str, Person]
) -> Blocks:
    mine = set(people.rotations_of(view, me))
    upcoming = []
    for current in await on_call(session, at=at, view=view):
        if current.rotation.name in mine and current.next_handoff:
            upcoming += await on_call(
                session, at=current.next_handoff, rotation=current.rotation.name, view=view
            )
    return oncall_blocks.next_blocks(upcoming, everyone)


def not_in_team(user_id: str) -> Blocks:
    return oncall_blocks.usage_blocks(
        f"You (<@{user_id}>) are not in the team file yet. Ask an admin to add your Slack id "
        f"`{user_id}` to it and run `oncall-bot import`."
    )


async def _person(
    session: AsyncSession,
    view: TeamView,
    request: OncallRequest,
    me: Person | None,
    at: datetime,
    user_id: str,
) -> Blocks:
    typed = f"<@{request.slack_id}>" if request.slack_id else request.name
    target = me if request.kind == "me" else teammates.teammate(view, typed)
    if target is None:
        if request.kind == "me":
            return not_in_team(user_id)
        return oncall_blocks.usage_blocks(teammates.unknown_teammate(view, typed))
    return await _summary(session, view, target, me, at)


async def _summary(
    session: AsyncSession, view: TeamView, target: Person, me: Person | None, at: datetime
) -> Blocks:
    summary = await people.summarize(session, view=view, person=target, at=at)
    zone = view.zone_of(target)
    return oncall_blocks.person_blocks(summary, view.people, zone=zone, is_self=target == me)


async def _calendar(
    session: AsyncSession, ctx: AppContext, view: TeamView, me: Person | None, user_id: str, *, reset: bool
) -> Blocks:
    if me is None:
        return not_in_team(user_id)
    if reset:
        revoked = await calendar.revoke(session, person=me.id, actor=me.id, source=ctx.source, at=ctx.clock())
        return calendar_blocks(None, revoked=revoked)
    links = await calendar.issue(
        session,
        view=view,
        person=me.id,
        base_url=ctx.settings.public_url,
        actor=me.id,
        source=ctx.source,
        at=ctx.clock(),
    )
    return calendar_blocks(links, revoked=0)


async def _pipeline(
    session: AsyncSession, ctx: AppContext, view: TeamView, query: str, me: Person | None, at: datetime
) -> Blocks:
    found = await lookup(session, view=view, query=query, at=at, runbooks_dir=ctx.runbooks_dir)
    if found.card:
        return pipeline_blocks(found.card, view.people, with_runbook=False)
    if found.candidates:
        return candidates_blocks(query, found.candidates)
    if named := teammates.teammate(view, query):  # `/oncall bob`: the teammate, as `/oncall @bob`
        return await _summary(session, view, named, me, at)
    hint = closest_subcommand(query.split()[0]) if query else None
    close = teammates.closest_teammate(view, query)
    if hint:
        suggestion = f" Did you mean `/oncall {hint}`?"
    elif close:
        suggestion = (
            " There is no teammate of that name either; did you mean "
            f"{escape(close.name)} (`/oncall {close.id}`)?"
        )
    else:
        suggestion = ""
    return oncall_blocks.usage_blocks(
        f"`{escape(query[:60])}` is neither an `/oncall` sub-command nor a pipeline.{suggestion}"
    )


async def handle(
    ack: Any, respond: Any, command: dict[str, Any], ctx: AppContext, client: AsyncWebClient
) -> None:
    request = parse_oncall(command.get("text") or "")
    if isinstance(request, BadRequest):
        await ack(blocks=oncall_blocks.usage_blocks(request.message), text=notification_text(request.message))
        return

    notices: list[Notice] = []

    async def work() -> Reply:
        try:
            async with ctx.sessions() as session:
                blocks = await answer(session, ctx, request, command.get("user_id", ""), notices)
        except NoTeam as error:
            blocks = oncall_blocks.usage_blocks(str(error))
        return Reply(blocks=blocks, in_channel=request.share)

    await answer_in_ack(ack, work, respond, command="/oncall")
    # Stored and acknowledged first; only then tell the people the change affects.
    await away.send(ctx, client, notices)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.command("/oncall")
    async def oncall_command(
        ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await handle(ack, respond, command, ctx, client)


async def _away(
    session: AsyncSession,
    ctx: AppContext,
    view: TeamView,
    me: Person | None,
    user_id: str,
    request: OncallRequest,
    notices: list[Notice],
) -> Blocks:
    if me is None:
        return not_in_team(user_id)
    return await away.answer(session, ctx, view, me, request, ctx.clock(), notices)


async def _checklist(session: AsyncSession, ctx: AppContext, view: TeamView, at: datetime) -> Blocks:
    found = await checklist_state(
        session, view=view, at=at, business_days=ctx.settings.month_end_business_days
    )
    return checklist_state_blocks(
        found.period, found.pipelines, found.items, view.people, starts=found.starts
    )


async def _handoff_note(
    session: AsyncSession, view: TeamView, me: Person | None, user_id: str, note: str, at: datetime
) -> Blocks:
    if me is None:
        return not_in_team(user_id)
    try:
        mine = await leave_note(session, view=view, person=me, text=note, at=at)
    except NoteRefused as error:
        return oncall_blocks.usage_blocks(str(error))
    when = ", ".join(
        f"{a.rotation.name} at {slack_time(a.next_handoff, a.rotation.timezone)}"
        for a in mine
        if a.next_handoff
    )
    return [section(f":memo: Noted for the handoff of {when}:\n>{escape(note)}")]
