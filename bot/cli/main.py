"""`oncall-bot`: the admin's command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot import logs
from bot.cli import (
    doctor,
    init_command,
    integration_commands,
    job_commands,
    schedule_commands,
    slack_commands,
    store_commands,
)
from bot.cli.errors import CommandFailed, UsageError
from bot.settings import MissingSetting, Settings

EXAMPLES = """\
examples:
  oncall-bot init my-team
  oncall-bot import my-team/team.yaml --dry-run
  oncall-bot schedule --weeks 4
  oncall-bot who --at 2026-11-26T12:00 --format json
  oncall-bot holidays --year 2027
  oncall-bot shell --as alice
  oncall-bot doctor
  oncall-bot integrations add prom --kind alertmanager
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oncall-bot",
        description="Run a data team's on-call from Slack: rotations, owners, runbooks and rituals.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (
        init_command,
        store_commands,
        schedule_commands,
        slack_commands,
        job_commands,
        doctor,
        integration_commands,
    ):
        module.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"oncall-bot: invalid setting: {error}", file=sys.stderr)
        return 2
    logs.configure(settings)
    try:
        return asyncio.run(args.run(args, settings)) or 0
    except (UsageError, MissingSetting) as error:
        print(f"oncall-bot {args.command}: {error}", file=sys.stderr)
        return 2
    except CommandFailed as error:
        print(f"oncall-bot {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
