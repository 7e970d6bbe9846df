"""`serve` and `shell`: the Slack app, for real or on the local console."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.errors import CommandFailed, UsageError
from bot.cli.store_access import open_store, upgrade
from bot.features.teamfile.loader import TeamFileError, load_team_file
from bot.features.teamfile.service import import_team
from bot.settings import MissingSetting, Settings
from bot.store.team import load_team


def add_commands(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser("serve", help="run the Slack app (HTTP or Socket Mode) and the scheduler")
    cmd.set_defaults(run=run_serve)

    cmd = commands.add_parser(
        "shell", help="a local console running the real handlers on the embedded store, no Slack needed"
    )
    cmd.add_argument(
        "--as", dest="person", metavar="PERSON", help="start as this person, id or name (default: an admin)"
    )
    cmd.set_defaults(run=run_shell)


async def run_serve(args: argparse.Namespace, settings: Settings) -> None:
    from bot.serve import SlackUnreachable, serve

    try:
        await serve(settings)
    except SlackUnreachable as error:
        raise CommandFailed(str(error)) from None


def missing_slack_settings(settings: Settings) -> list[str]:
    missing = []
    for name in ("slack_bot_token", "slack_signing_secret"):
        try:
            settings.require(name)
        except MissingSetting:
            missing.append(name.upper())
    return missing


async def _seed_if_empty(settings: Settings, team_file: Path) -> None:
    async with open_store(settings) as sessions, sessions() as session:
        if await load_team(session) is not None:
            return
        try:
            team = load_team_file(team_file, runbooks_dir=settings.runbooks_dir)
        except (TeamFileError, OSError) as error:
            raise UsageError(f"the store is empty and {team_file} could not be loaded:\n{error}") from None
        await import_team(session, team=team, actor="cli", source="import")
        print(f"The store was empty: loaded the example team from {team_file}.")


async def run_shell(args: argparse.Namespace, settings: Settings) -> None:
    from bot.context import AppContext
    from bot.shell import run_shell as shell

    await upgrade(settings)
    await _seed_if_empty(settings, settings.team_file)
    if missing := missing_slack_settings(settings):
        print(
            f"Slack is not connected ({', '.join(missing)} not set: see README, 'Connect to Slack'). "
            "This shell runs the same handlers locally; nothing is sent to Slack.",
        )
    async with open_store(settings) as sessions:
        ctx = AppContext(
            settings=settings,
            sessions=sessions,
            clock=lambda: datetime.now(UTC),
            runbooks_dir=settings.runbooks_dir,
            source="shell",
        )
        try:
            await shell(ctx, as_person=args.person, stdin=sys.stdin, stdout=sys.stdout)
        except LookupError as error:
            raise UsageError(str(error)) from None
