"""`migrate`, `import` and `export`: the store and the team file. What each does is imported only when it
runs, so that the other commands start fast."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.args import Commands
from bot.settings import Settings


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser("migrate", help="create or upgrade the database schema")
    cmd.add_argument("--revision", default="head", help="target revision (default: head)")
    cmd.set_defaults(run=run)

    cmd = commands.add_parser("import", help="apply a team file (YAML) to the store")
    cmd.add_argument("file", type=Path, metavar="FILE", help="the team file, e.g. examples/week6-team.yaml")
    cmd.add_argument("--dry-run", action="store_true", help="show what would change and apply nothing")
    cmd.set_defaults(run=run)

    cmd = commands.add_parser("export", help="write the stored team as a team file")
    cmd.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    cmd.set_defaults(run=run)


async def run(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli import store_runs

    await store_runs.COMMANDS[args.command](args, settings)
