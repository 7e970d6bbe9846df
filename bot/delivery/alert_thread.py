"""What an incident an alert opened adds to its thread and root message, read from the store."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.incidents.model import Incident
from bot.features.oncall.views import TeamView, on_call
from bot.messages.alerts import alert_blocks, firing_fact
from bot.messages.common import Blocks
from bot.messages.oncall import who
from bot.store import alerts as store


async def alert_messages(session: AsyncSession, *, view: TeamView, incident: Incident) -> list[Blocks]:
    """The alert's own message, first in the thread; none for an incident a person declared. One no
    pipeline claims asks the on-call primary (of the first rotation with one) to triage it."""
    source = await store.source_of_incident(session, incident.id)
    if source is None:
        return []
    triager = None
    if incident.pipeline not in {p.key for p in view.file.pipelines}:
        answers = await on_call(session, at=incident.declared_at, view=view)
        primary = next((a.primary.person for a in answers if a.primary and a.primary.person), None)
        triager = who(primary, view.people)
    return [alert_blocks(source.shown, triager)]


async def root_fact(session: AsyncSession, *, view: TeamView, incident: Incident) -> str | None:
    """How often its alert fired, for the root message; None for an incident a person declared."""
    source = await store.source_of_incident(session, incident.id)
    if source is None:
        return None
    count, last = await store.reports(session, source)
    return firing_fact(count, last or source.since, view.file.timezone)
