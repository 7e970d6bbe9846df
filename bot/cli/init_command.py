"""`init`: a starter team file and its runbooks, copied from a packaged example, to edit."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bot.cli.args import Commands
from bot.cli.errors import UsageError
from bot.settings import Settings
from bot.shipped_files import EXAMPLE_TEAM_FILES, example_team_file, shipped

TEAM_FILE = "team.yaml"


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser("init", help="write a starter team file and runbooks to edit")
    cmd.add_argument(
        "dir", type=Path, nargs="?", default=Path("."), metavar="DIR", help="where (default: here)"
    )
    cmd.add_argument(
        "--example",
        choices=sorted(EXAMPLE_TEAM_FILES),
        default="week6",
        help="which example (default: week6)",
    )
    cmd.set_defaults(run=run_init)


async def run_init(args: argparse.Namespace, settings: Settings) -> None:
    from bot.features.teamfile.loader import load_team_file  # only here: other commands start faster

    source = example_team_file(args.example)
    runbooks = sorted({p.runbook for p in load_team_file(source, runbooks_dir=None).pipelines if p.runbook})
    team_file, folder = args.dir / TEAM_FILE, args.dir / "runbooks"
    taken = [str(p) for p in (team_file, *(folder / name for name in runbooks)) if p.exists()]
    if taken:
        raise UsageError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''}; nothing was written"
        )
    folder.mkdir(parents=True, exist_ok=True)
    # Its comments say how to import it: by its new name.
    team_file.write_text(
        source.read_text(encoding="utf-8").replace(f"examples/{source.name}", str(team_file))
    )
    for name in runbooks:
        shutil.copyfile(shipped("runbooks") / name, folder / name)
    edit_runbooks = (
        f"Edit the runbooks in {folder}/, one per pipeline" if runbooks else
        f"Write a runbook per pipeline in {folder}/ and name it in the pipeline's `runbook:`"
    )  # fmt: skip
    print(
        f"Wrote {team_file} and {len(runbooks)} runbooks in {folder}/ (from the {args.example} example).\n"
        "Next:\n"
        f"  1. Edit {team_file}: your people (Slack member ids or emails), timezone, rotations and\n"
        "     pipelines with their owners; every field is described in the README.\n"
        f"  2. {edit_runbooks} (format: README, 'Runbooks'); the bullets of its\n"
        "     `## Month-end checklist` section become an investor-facing pipeline's month-end checklist.\n"
        f"  3. Check it: oncall-bot import {team_file} --dry-run\n"
        f"     then apply it: oncall-bot import {team_file}\n"
        f"  4. Set TEAM_FILE={team_file} (e.g. in .env), so that the shell and serve read the runbooks\n"
        "     beside it; then try it: oncall-bot shell"
    )
