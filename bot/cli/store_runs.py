"""What `migrate`, `import` and `export` do: the schema, and the team file in and out of the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.errors import CommandFailed, UsageError
from bot.cli.store_access import open_store, safe_url, upgrade
from bot.core.team import TeamFile
from bot.features.teamfile.dump import dump_team_file
from bot.features.teamfile.loader import TeamFileError, load_team_file
from bot.features.teamfile.service import export_team, import_team
from bot.features.teamfile.warnings import team_file_warnings
from bot.settings import Settings


async def run_migrate(args: argparse.Namespace, settings: Settings) -> None:
    await upgrade(settings, args.revision)
    print(f"The database is at revision {args.revision}: {safe_url(settings)}")


def warn_of_defaults(path: Path, team: TeamFile, runbooks: Path) -> None:
    for warning in team_file_warnings(team, runbooks_dir=runbooks):
        print(f"warning: {path}: {warning}", file=sys.stderr)


async def run_import(args: argparse.Namespace, settings: Settings) -> None:
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    runbooks = settings.runbooks_for(args.file)
    try:
        team = load_team_file(args.file, runbooks_dir=runbooks)
    except TeamFileError as error:
        raise CommandFailed(f"{args.file} was not imported; nothing changed:\n{error}") from None
    warn_of_defaults(args.file, team, runbooks)
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


COMMANDS = {"migrate": run_migrate, "import": run_import, "export": run_export}
