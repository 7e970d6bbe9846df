"""`run-job`: run a scheduled post by hand, through the same ledger as the scheduler, or the
incident sweep that escalates what is due."""

from __future__ import annotations

import argparse
import socket
from datetime import UTC, datetime

from bot.cli.args import in_zone, iso_instant
from bot.cli.errors import UsageError
from bot.cli.store_access import open_store
from bot.jobs.incidents import ESCALATION_JOB, due_escalations, escalate_due, policy_of
from bot.jobs.posts import JOBS, job_posts, send_post
from bot.services.oncall import NoTeam, UnknownRotation, load_view
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.context import AppContext
from bot.slack.render import render_blocks


def add_commands(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser(
        "run-job",
        help="run a scheduled post once by hand (obeys the post ledger), or escalate the incidents due",
    )
    cmd.add_argument("job", choices=(*JOBS, ESCALATION_JOB), help="the job to run")
    cmd.add_argument("--rotation", help="one rotation by name (default: all); not for month-end or incidents")
    cmd.add_argument("--at", type=iso_instant, help="as if it were this time (default: now); the team's zone")
    cmd.add_argument("--dry-run", action="store_true", help="print what it would post and change nothing")
    cmd.set_defaults(run=run_job)


async def run_job(args: argparse.Namespace, settings: Settings) -> None:
    if args.job == ESCALATION_JOB:
        return await run_incidents(args, settings)
    if args.job == "month-end" and args.rotation:
        raise UsageError("month-end is for the whole team, not one rotation: run it without --rotation")
    async with open_store(settings) as sessions:
        async with sessions() as session:
            try:
                view = await load_view(session)
                at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
                posts = await job_posts(
                    session, view=view, job=args.job, at=at, rotation=args.rotation, settings=settings
                )
            except (NoTeam, UnknownRotation) as error:
                raise UsageError(str(error)) from None
            if not args.dry_run:
                await session.commit()  # month-end checklist items are created with their post
        names = {p.slack_id: p.name for p in view.file.people if p.slack_id}
        client = None if args.dry_run else make_client(settings, token=settings.require("slack_bot_token"))
        if not posts:
            print(f"Nothing to post for {args.job} at {at.isoformat()}.")
        for post in posts:
            if client is None:
                print(f"[{post.key} to {post.channel}]\n{render_blocks(post.blocks, names).text}\n")
                continue
            owner = f"cli@{socket.gethostname()}"
            print(
                f"{post.key}: {await send_post(sessions, client, post, owner=owner, now=datetime.now(UTC))}"
            )


async def run_incidents(args: argparse.Namespace, settings: Settings) -> None:
    """Escalate every unacknowledged incident whose next level is due now, as the minute sweep does."""
    if args.rotation:
        raise UsageError("incidents escalate by pipeline, not by rotation: run it without --rotation")
    if args.at and not args.dry_run:
        raise UsageError("incidents escalate what is due now: --at works only with --dry-run")
    client = None if args.dry_run else make_client(settings, token=settings.require("slack_bot_token"))
    async with open_store(settings) as sessions:
        async with sessions() as session:
            try:
                view = await load_view(session)
            except NoTeam as error:
                raise UsageError(str(error)) from None
            at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
            due = await due_escalations(session, view=view, policy=policy_of(settings), now=at)
        if client is not None:
            ctx = AppContext(settings, sessions, lambda: at, settings.runbooks_dir)
            done = {*await escalate_due(ctx, client, now=at)}
            due = [(incident, level) for incident, level in due if incident.id in done]
    pipelines = {p.key: p.name for p in view.file.pipelines}
    for incident, level in due:
        print(
            f"#{incident.id} {pipelines.get(incident.pipeline, incident.pipeline)} ({incident.severity}): "
            f"{'would call' if client is None else 'called'} level {level.number}, the {level.name}: "
            + ", ".join(t.name for t in level.targets)
        )
    if not due:
        print(f"Nothing to escalate at {at.isoformat()}.")
