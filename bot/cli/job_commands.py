"""`run-job`: run a scheduled post by hand, through the same ledger as the scheduler, or one of the
minute tick's sweeps: escalating incidents, expiring swap requests, closing calls for a volunteer,
opening incidents for late heartbeats."""

from __future__ import annotations

import argparse

from bot import logs
from bot.cli.args import Commands, iso_instant
from bot.delivery.job_names import POST_JOBS, SWEEP_JOBS
from bot.settings import Settings


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser(
        "run-job",
        help="run a scheduled post once by hand (obeys the post ledger), or a sweep of what is due now: "
        "incidents to escalate, swap requests to expire, calls for a volunteer to close, late heartbeats",
    )
    cmd.add_argument("job", choices=(*POST_JOBS, *SWEEP_JOBS), help="the job to run")
    cmd.add_argument("--rotation", help="one rotation by name (default: all); for handoff and reminders only")
    cmd.add_argument("--at", type=iso_instant, help="as if it were this time (default: now); the team's zone")
    cmd.add_argument(
        "--dry-run",
        action="store_true",
        help="print what it would post or do (what is already sent, it says so), and change nothing",
    )
    cmd.add_argument(
        "--force", action="store_true", help="post a handoff even when it is older than POST_GRACE_HOURS"
    )
    cmd.set_defaults(run=run_job)


async def run_job(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli import job_runs

    with logs.bound(job=args.job):
        await job_runs.run_job(args, settings)
