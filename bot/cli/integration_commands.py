"""`integrations`: the doors alerts come in by, made, listed, rotated and removed from the command
line. What each does is imported only when it runs, so that the other commands start fast."""

from __future__ import annotations

import argparse

from bot.cli.args import Commands
from bot.core.alerts import INTEGRATION_KINDS
from bot.core.incidents.model import SEVERITIES
from bot.settings import Settings


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser(
        "integrations", help="the URLs Alertmanager, Grafana, scripts and heartbeats send alerts to"
    )
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make an integration and print its URL")
    add.add_argument("name", help="a short name, like prom or airflow")
    add.add_argument("--kind", required=True, choices=INTEGRATION_KINDS, help="what sends to it")
    add.add_argument("--pipeline", help="pipeline key for alerts naming none (a heartbeat's pipeline)")
    add.add_argument("--severity", choices=SEVERITIES, help="severity of its incidents, whatever alerts say")
    add.add_argument("--format", choices=("text", "json"), default="text")
    add.set_defaults(run=run)
    listing = actions.add_parser("list", help="the integrations (their URLs are not kept, so not shown)")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=run)
    rotate = actions.add_parser("rotate", help="a new URL; the old one is refused from then on")
    rotate.add_argument("name")
    rotate.add_argument("--format", choices=("text", "json"), default="text")
    rotate.set_defaults(run=run)
    remove = actions.add_parser("remove", help="delete one; its URL is refused from then on")
    remove.add_argument("name")
    remove.set_defaults(run=run)


async def run(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli import integration_runs

    await integration_runs.ACTIONS[args.action](args, settings)
