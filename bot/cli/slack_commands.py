"""`serve` and `shell`: the Slack app, for real or on the local console."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.cli.args import Commands
from bot.cli.errors import UsageError
from bot.settings import MissingSetting, Settings


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser("serve", help="run the Slack app (HTTP or Socket Mode) and the scheduler")
    cmd.set_defaults(run=run_serve)

    cmd = commands.add_parser(
        "shell",
        help="a local console running the real handlers on a scratch copy of the store, no Slack needed",
    )
    cmd.add_argument(
        "--as", dest="person", metavar="PERSON", help="start as this person, id or name (default: an admin)"
    )
    cmd.add_argument(
        "--store",
        choices=("scratch", "real"),
        default="scratch",
        help="scratch (default): a copy of the team and schedule, thrown away at the end; real: the "
        "configured store itself, where what is done and posted counts for the real bot",
    )
    cmd.set_defaults(run=run_shell)


async def run_serve(args: argparse.Namespace, settings: Settings) -> None:
    from bot.serve import serve

    await serve(settings)


def missing_slack_settings(settings: Settings) -> list[str]:
    missing = []
    for name in ("slack_bot_token", "slack_signing_secret"):
        try:
            settings.require(name)
        except MissingSetting:
            missing.append(name.upper())
    return missing


async def run_shell(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli.shell_store import shell_store
    from bot.context import AppContext
    from bot.shell import run_shell as shell

    async with shell_store(settings, real=args.store == "real") as store:
        print(store.banner)
        if missing := missing_slack_settings(settings):
            print(
                f"Slack is not connected ({', '.join(missing)} not set: "
                "see docs/operations.md, 'Connect to Slack'). "
                "This shell runs the same handlers locally; nothing is sent to Slack.",
            )
        ctx = AppContext(
            settings=settings,
            sessions=store.sessions,
            clock=lambda: datetime.now(UTC),
            runbooks_dir=settings.runbooks_dir,
            source="shell",
        )
        try:
            await shell(
                ctx, as_person=args.person, stdin=sys.stdin, stdout=sys.stdout, stand_in_emails=store.scratch
            )
        except LookupError as error:
            raise UsageError(str(error)) from None
