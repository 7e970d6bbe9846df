"""The incident sweep, run every minute: escalate unacknowledged incidents whose next level is due,
then post whatever an incident thread is still missing (a Slack failure, a restart mid-post).

There are no per-incident timers: everything is read from the store, so nothing is lost across a
restart, and the compare-and-set on the escalation level keeps replicas from escalating twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import AppContext
from bot.core.incidents.escalation import Level, Policy, is_due, next_level
from bot.core.incidents.model import Incident
from bot.delivery.incidents import deliver
from bot.features.incidents import service as incidents
from bot.features.oncall.views import NoTeam, TeamView
from bot.settings import Settings
from bot.store import incidents as store

log = logging.getLogger(__name__)

ESCALATION_JOB = "incidents"  # its name for run-job, beside the scheduled posts


def policy_of(settings: Settings) -> Policy:
    return Policy.from_minutes(
        sev1=settings.escalation_minutes_sev1,
        sev2=settings.escalation_minutes_sev2,
        sev3=settings.escalation_minutes_sev3,
    )


async def escalate_due(ctx: AppContext, client: AsyncWebClient, *, now: datetime) -> list[int]:
    """Escalate what is due at `now`, then deliver every pending thread message; the escalated ids."""
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam:
            return []
        escalated = await incidents.escalate_due(session, view=view, policy=policy_of(ctx.settings), now=now)
        pending = await store.with_unposted_events(session)
    for incident in escalated:
        log.info("incident #%s escalated to level %s", incident.id, incident.level)
    for incident_id in pending:
        await deliver(ctx, client, incident_id, now=now)
    return [i.id for i in escalated]


async def due_escalations(
    session: AsyncSession, *, view: TeamView, policy: Policy, now: datetime
) -> list[tuple[Incident, Level]]:
    """What a sweep at `now` would escalate, each with the level it would call; nothing changes."""
    found = []
    for incident in await store.open_incidents(session):
        ladder = incidents.ladder_of(view, incident)
        level = next_level(incident, ladder)
        if level is not None and is_due(incident, ladder, policy, now):
            found.append((incident, level))
    return found
