"""`run-job`: run a scheduled post by hand, through the same ledger as the scheduler."""

from __future__ import annotations

import argparse
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.args import in_zone, iso_instant
from bot.cli.errors import UsageError
from bot.cli.store_access import open_store
from bot.jobs.handoff import Handoff, handoffs_between
from bot.jobs.posts import Post, handoff_post, reminder_posts, send_post
from bot.schedule import shift_at
from bot.services.oncall import NoTeam, TeamView, UnknownRotation, load_view
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.render import render_blocks


def add_commands(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser("run-job", help="run a scheduled post once by hand (obeys the post ledger)")
    cmd.add_argument("job", choices=("handoff", "reminders"), help="the job to run")
    cmd.add_argument("--rotation", help="one rotation by name (default: all)")
    cmd.add_argument("--at", type=iso_instant, help="as if it were this time (default: now); the team's zone")
    cmd.add_argument("--dry-run", action="store_true", help="print the message as text and post nothing")
    cmd.set_defaults(run=run_job)


async def latest_handoffs(
    view: TeamView, session: AsyncSession, *, at: datetime, rotation: str | None
) -> list[Handoff]:
    """The handoff each rotation made most recently at or before `at`."""
    found = []
    for rot in view.select(rotation):
        current = shift_at(rot, at)
        if current is not None:
            found += await handoffs_between(
                session,
                view=view,
                since=current.start - timedelta(microseconds=1),
                until=current.start,
                rotation=rot.name,
            )
    return found


async def posts_for(
    args: argparse.Namespace, session: AsyncSession, view: TeamView, at: datetime
) -> list[Post]:
    if args.job == "handoff":
        return [
            handoff_post(h, view.people)
            for h in await latest_handoffs(view, session, at=at, rotation=args.rotation)
        ]
    view.select(args.rotation)  # an unknown rotation is refused before anything is sent
    posts = await reminder_posts(session, view=view, since=at - timedelta(days=1), until=at)
    return [p for p in posts if args.rotation in (None, p.rotation)]


async def run_job(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions:
        async with sessions() as session:
            try:
                view = await load_view(session)
                at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
                posts = await posts_for(args, session, view, at)
            except (NoTeam, UnknownRotation) as error:
                raise UsageError(str(error)) from None
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
