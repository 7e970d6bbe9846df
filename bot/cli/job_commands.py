"""`run-job`: run a scheduled post by hand, through the same ledger as the scheduler."""

from __future__ import annotations

import argparse
import socket
from datetime import UTC, datetime

from bot.cli.args import in_zone, iso_instant
from bot.cli.errors import UsageError
from bot.cli.store_access import open_store
from bot.jobs.posts import JOBS, job_posts, send_post
from bot.services.oncall import NoTeam, UnknownRotation, load_view
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.render import render_blocks


def add_commands(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser("run-job", help="run a scheduled post once by hand (obeys the post ledger)")
    cmd.add_argument("job", choices=JOBS, help="the job to run")
    cmd.add_argument("--rotation", help="one rotation by name (default: all)")
    cmd.add_argument("--at", type=iso_instant, help="as if it were this time (default: now); the team's zone")
    cmd.add_argument("--dry-run", action="store_true", help="print the message as text and post nothing")
    cmd.set_defaults(run=run_job)


async def run_job(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions:
        async with sessions() as session:
            try:
                view = await load_view(session)
                at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
                posts = await job_posts(
                    session, view=view, job=args.job, at=at, rotation=args.rotation, settings=settings
                )
                await session.commit()
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
