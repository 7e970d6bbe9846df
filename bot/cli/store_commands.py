"""`migrate`, `import` and `export`: the store and the team file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.errors import CommandFailed, UsageError
from bot.cli.store_access import open_store, safe_url, upgrade
from bot.features.teamfile.dump import dump_team_file
from bot.features.teamfile.loader import TeamFileError, load_team_file
from bot.features.teamfile.service import export_team, import_team
from bot.settings import Settings
from bot.store import migrate


def add_commands(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser("migrate", help="create or upgrade the database schema")
    cmd.add_argument("--revision", default="head", help="target revision (default: head)")
    cmd.set_defaults(run=run_migrate)

    cmd = commands.add_parser("import", help="apply a team file (YAML) to the store")
    cmd.add_argument("file", type=Path, metavar="FILE", help="the team file, e.g. examples/week6-team.yaml")
    cmd.add_argument("--dry-run", action="store_true", help="show what would change and apply nothing")
    cmd.set_defaults(run=run_import)

    cmd = commands.add_parser("export", help="write the stored team as a team file")
    cmd.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    cmd.set_defaults(run=run_export)


async def run_migrate(args: argparse.Namespace, settings: Settings) -> None:
    try:
        await asyncio.to_thread(migrate.upgrade, settings.database_url, args.revision)
    except Exception as error:  # Alembic raises many kinds; all mean the same to the person here
        raise CommandFailed(f"migration failed on {safe_url(settings)}: {error}") from None
    print(f"The database is at revision {args.revision}: {safe_url(settings)}")


async def run_import(args: argparse.Namespace, settings: Settings) -> None:
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    try:
        team = load_team_file(args.file, runbooks_dir=settings.runbooks_dir)
    except TeamFileError as error:
        raise CommandFailed(f"{args.file} was not imported; nothing changed:\n{error}") from None
    await upgrade(settings)
    async with open_store(settings) as sessions, sessions() as session:
        changes = await import_team(session, team=team, actor="cli", source="import", dry_run=args.dry_run)
    if not changes:
        print(f"No changes: the store already matches {args.file}.")
        return
    verb = "Would apply" if args.dry_run else "Applied"
    print(f"{verb} {len(changes)} change{'s' if len(changes) != 1 else ''} from {args.file}:")
    for change in changes:
        print(f"  {change}")
    if args.dry_run:
        print("Dry run: nothing was written.")


async def run_export(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions, sessions() as session:
        team = await export_team(session)
    if team is None:
        raise CommandFailed("nothing to export: no team has been imported yet")
    text = dump_team_file(team)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}")
