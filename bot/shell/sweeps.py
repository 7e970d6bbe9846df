"""The sweeps the scheduler's minute tick runs, run by hand in the shell at the shell's time:
escalating incidents, expiring swap requests, closing calls for a volunteer past their deadline,
opening incidents for pipelines late past their heartbeat's grace."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.delivery.job_names import ESCALATION_JOB, HEARTBEAT_JOB, SWAP_EXPIRY_JOB, VOLUNTEER_JOB
from bot.delivery.swaps import expire_swap_requests
from bot.delivery.volunteers import close_expired_volunteer_calls
from bot.jobs.heartbeats import sweep_heartbeats
from bot.jobs.incidents import escalate_due

SWEEPS = (ESCALATION_JOB, SWAP_EXPIRY_JOB, VOLUNTEER_JOB, HEARTBEAT_JOB)


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)


async def run_sweep(ctx: AppContext, client: AsyncWebClient, job: str, at: datetime) -> str:
    """Run one sweep as of `at`; what it did, in a line (its messages show on their own)."""
    if job == ESCALATION_JOB:
        escalated = await escalate_due(ctx, client, now=at)
        return f"(escalated: {_ids(escalated)})" if escalated else "Nothing to escalate now."
    if job == SWAP_EXPIRY_JOB:
        expired = await expire_swap_requests(ctx, client, at)
        return f"(expired swap requests: {_ids(expired)})" if expired else "No swap request to expire now."
    if job == HEARTBEAT_JOB:
        opened = await sweep_heartbeats(ctx, client, now=at)
        return f"(opened incidents: {_ids(opened)})" if opened else "No heartbeat is late now."
    closed = await close_expired_volunteer_calls(ctx, client, at)
    if not closed:
        return "No call for a volunteer is past its deadline now."
    return (
        "(closed calls for a volunteer: "
        + ", ".join(
            f"#{c.post.call.id}, " + ("the bot's pick stands" if c.stands else "every stretch was taken")
            for c in closed
        )
        + ")"
    )
