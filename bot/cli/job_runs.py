"""What `run-job` does: a scheduled post by hand through the post ledger, or a sweep of the minute tick."""

from __future__ import annotations

import argparse
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.cli.args import in_zone
from bot.cli.errors import UsageError
from bot.cli.store_access import open_store
from bot.context import AppContext
from bot.delivery.job_names import ESCALATION_JOB, HEARTBEAT_JOB, SWAP_EXPIRY_JOB, VOLUNTEER_JOB
from bot.delivery.outbox import ledger_says
from bot.delivery.post import Post
from bot.delivery.scheduled import job_posts, send_post
from bot.delivery.slack_api import make_client
from bot.delivery.swaps import expire_swap_requests
from bot.delivery.volunteers import close_expired_volunteer_calls
from bot.features.absences.volunteers import Closing, due_calls
from bot.features.alerts import heartbeats
from bot.features.oncall.views import NoTeam, TeamView, UnknownRotation, load_view
from bot.features.swaps.requests import when_in
from bot.jobs.heartbeats import sweep_heartbeats
from bot.jobs.incidents import due_escalations, escalate_due, policy_of
from bot.settings import Settings
from bot.shell.terminal import render_blocks
from bot.store.swaps import due_to_expire


async def run_job(args: argparse.Namespace, settings: Settings) -> None:
    if args.job in SWEEPS:
        return await run_sweep(args, settings)
    if args.job == "month-end" and args.rotation:
        raise UsageError("month-end is for the whole team, not one rotation: run it without --rotation")
    async with open_store(settings) as sessions:
        async with sessions() as session:
            try:
                view = await load_view(session)
                at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
                posts = await job_posts(
                    session,
                    view=view,
                    job=args.job,
                    at=at,
                    rotation=args.rotation,
                    settings=settings,
                    keep=not args.dry_run,
                )
            except (NoTeam, UnknownRotation) as error:
                raise UsageError(str(error)) from None
        names = {p.slack_id: p.name for p in view.file.people if p.slack_id}
        client = None if args.dry_run else make_client(settings, token=settings.require("slack_bot_token"))
        if not posts:
            print(f"Nothing to post for {args.job} at {at.isoformat()}.")
        for post in posts:
            now = datetime.now(UTC)
            async with sessions() as session:
                said = await ledger_says(session, post.key, now=now)
            if said is None and not args.force:
                said = _too_old(post, at=at, settings=settings, zone=view.file.timezone)
            if said is not None:
                print(f"{post.key}: {said}")
            elif client is None:
                print(f"[{post.key} to {post.channel}]\n{render_blocks(post.blocks, names).text}\n")
            else:
                owner = f"cli@{socket.gethostname()}"
                print(f"{post.key}: {await send_post(sessions, client, post, owner=owner, now=now)}")


def _too_old(post: Post, *, at: datetime, settings: Settings, zone: str) -> str | None:
    """Why a handoff is not posted by hand, as `serve` would not post it: its time is too long past."""
    age = at - post.due
    if post.job != "handoff" or age <= timedelta(hours=settings.post_grace_hours):
        return None
    hours = age // timedelta(hours=1)
    old = f"{hours // 24} days {hours % 24} hours" if hours >= 48 else f"{hours} hours"
    when = when_in(zone)
    return (
        f"not posted: it was due {when(post.due)}, {old} before {when(at)}, more than "
        f"POST_GRACE_HOURS={settings.post_grace_hours:g}; `--force` posts it anyway"
    )


async def run_sweep(args: argparse.Namespace, settings: Settings) -> None:
    """Do now what the minute tick would (or with --dry-run, at --at, say what it would do)."""
    scope, sweep = SWEEPS[args.job]
    if args.rotation:
        raise UsageError(f"{scope}: run it without --rotation")
    if args.at and not args.dry_run:
        raise UsageError(f"{args.job} acts on what is due now: --at works only with --dry-run")
    client = None if args.dry_run else make_client(settings, token=settings.require("slack_bot_token"))
    async with open_store(settings) as sessions:
        async with sessions() as session:
            try:
                view = await load_view(session)
            except NoTeam as error:
                raise UsageError(str(error)) from None
        at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
        ctx = AppContext(settings, sessions, lambda: at, settings.runbooks_dir)
        lines = await sweep(ctx, view, client, at)
    print("\n".join(lines))


async def _incidents(
    ctx: AppContext, view: TeamView, client: AsyncWebClient | None, at: datetime
) -> list[str]:
    """Escalate every unacknowledged incident whose next level is due, as the minute sweep does."""
    async with ctx.sessions() as session:
        due = await due_escalations(session, view=view, policy=policy_of(ctx.settings), now=at)
    if client is not None:
        done = {*await escalate_due(ctx, client, now=at)}
        due = [(incident, level) for incident, level in due if incident.id in done]
    pipelines = {p.key: p.name for p in view.file.pipelines}
    return [
        f"#{incident.id} {pipelines.get(incident.pipeline, incident.pipeline)} ({incident.severity}): "
        f"{'would call' if client is None else 'called'} level {level.number}, the {level.name}: "
        + ", ".join(t.name for t in level.targets)
        for incident, level in due
    ] or [f"Nothing to escalate at {at.isoformat()}."]


async def _swaps(ctx: AppContext, view: TeamView, client: AsyncWebClient | None, at: datetime) -> list[str]:
    """Expire the pending requests whose first shift started: the requester is told, the teammate's
    request message says so."""
    async with ctx.sessions() as session:
        due = await due_to_expire(session, at=at)
    if client is not None:
        done = {*await expire_swap_requests(ctx, client, at)}
        due = [swap for swap in due if swap.id in done]
    name = {p.id: p.name for p in view.file.people}.get
    when = when_in(view.file.timezone)
    return [
        f"#{swap.id} {name(swap.requester, swap.requester)} asked {name(swap.teammate, swap.teammate)} "
        f"({swap.mode}): {'would expire' if client is None else 'expired'}, its first shift started "
        f"{when(swap.expires_at)}"
        for swap in due
    ] or [f"No swap request to expire at {at.isoformat()}."]


async def _volunteers(
    ctx: AppContext, view: TeamView, client: AsyncWebClient | None, at: datetime
) -> list[str]:
    """Close the calls for a volunteer past their deadline; where nobody volunteered, the channel is
    told the bot's pick stands."""
    closing: list[Closing]
    if client is None:
        async with ctx.sessions() as session:
            closing = await due_calls(session, view=view, at=at)
    else:
        closing = await close_expired_volunteer_calls(ctx, client, at)
    name = {p.id: p.name for p in view.file.people}.get
    when = when_in(view.file.timezone)

    def outcome(c: Closing) -> str:
        if not c.stands:
            return "every stretch was taken"
        told = "would announce" if client is None else "announced"
        return f"{told} that the backup stays " + ", ".join(
            f"{name(s.person or '', 'nobody')} {when(s.start)} → {when(s.end)}" for s in c.stands
        )

    return [
        f"call #{c.post.call.id} ({c.post.call.rotation}, {name(c.post.absent, c.post.absent)} away): "
        f"{'would close' if client is None else 'closed'}, {outcome(c)}"
        for c in closing
    ] or [f"No call for a volunteer is past its deadline at {at.isoformat()}."]


async def _heartbeats(
    ctx: AppContext, view: TeamView, client: AsyncWebClient | None, at: datetime
) -> list[str]:
    """Open an incident for each pipeline late past its heartbeat's grace, as the minute sweep does."""
    async with ctx.sessions() as session:
        late = await heartbeats.overdue(session, view=view, now=at)
    if client is not None:
        opened = await sweep_heartbeats(ctx, client, now=at)
        return [f"opened incident #{n}" for n in opened] or [
            f"No heartbeat incident to open at {at.isoformat()}."
        ]
    zone = view.file.timezone
    return [
        f"{each.pipeline.key}: due by {heartbeats.when(each.deadline, zone)}; {each.summary(zone)}: "
        "would open an incident unless one is open"
        for each in late
    ] or [f"No heartbeat is late at {at.isoformat()}."]


Sweep = Callable[[AppContext, TeamView, AsyncWebClient | None, datetime], Awaitable[list[str]]]
# Each sweep: why it takes no --rotation, and what it does (without a client: what it would do).
SWEEPS: dict[str, tuple[str, Sweep]] = {
    ESCALATION_JOB: ("incidents escalate by pipeline, not by rotation", _incidents),
    SWAP_EXPIRY_JOB: ("swap requests expire for the whole team", _swaps),
    VOLUNTEER_JOB: ("calls for a volunteer close for the whole team", _volunteers),
    HEARTBEAT_JOB: ("heartbeats are checked for the whole team", _heartbeats),
}
