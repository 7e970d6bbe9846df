"""`who`, `schedule` and `holidays`: reading the schedule from the command line. What each does is imported
only when it runs, so that the other commands start fast."""

from __future__ import annotations

import argparse

from bot.cli.args import Commands, bounded_int, iso_date, iso_instant
from bot.settings import Settings


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser("who", help="who is primary and backup at an instant (default: now)")
    cmd.add_argument("--rotation", help="one rotation by name (default: all)")
    cmd.add_argument("--at", type=iso_instant, help="ISO-8601 time; without an offset, the team's zone")
    cmd.add_argument("--format", choices=("text", "json"), default="text")
    cmd.set_defaults(run=run)

    cmd = commands.add_parser("schedule", help="the resolved schedule over a range of dates")
    cmd.add_argument("--rotation", help="one rotation by name (default: all)")
    cmd.add_argument("--from", dest="start", type=iso_date, help="first date (default: today)")
    span = cmd.add_mutually_exclusive_group()
    span.add_argument("--to", dest="end", type=iso_date, help="last date, included")
    span.add_argument("--weeks", type=bounded_int(1, 520), help="number of weeks (default: 4)")
    cmd.add_argument("--format", choices=("table", "json"), default="table")
    cmd.set_defaults(run=run)

    cmd = commands.add_parser("holidays", help="holiday duty of a year: who covers each holiday, counts")
    cmd.add_argument("--year", type=bounded_int(1970, 2200), help="calendar year (default: this year)")
    cmd.add_argument("--rotation", help="one rotation by name (default: all)")
    cmd.set_defaults(run=run)


async def run(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli import schedule_runs

    await schedule_runs.COMMANDS[args.command](args, settings)
