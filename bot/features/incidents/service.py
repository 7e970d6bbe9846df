"""Incidents: declared once per request and stored before Slack hears of them; acknowledged,
escalated, resolved and reopened as compare-and-sets, each with its timeline entry and audit line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.incidents import escalation
from bot.core.incidents.audience import OnCallPair, Reach, audience
from bot.core.incidents.model import Declaration, Event, EventKind, Incident
from bot.features.oncall.people import availability
from bot.features.oncall.pipelines import PipelineCard
from bot.features.oncall.views import TeamView, on_call
from bot.store import audit
from bot.store import incidents as store


class IncidentRefused(Exception):
    """A change that cannot be made, with a message for the person who asked."""


@dataclass(frozen=True)
class HandoffIncidents:
    """What a handoff tells about incidents: those still open, and those closed since the last one."""

    still_open: list[Incident]
    closed: list[Incident]
    pipeline_names: dict[str, str]  # key -> name, to show each incident's pipeline
    reopened: frozenset[int] = frozenset()  # ids of those reopened at some point


async def _record(
    session: AsyncSession,
    incident: Incident | int,
    kind: EventKind,
    *,
    actor: str | None,
    source: str,
    at: datetime,
    detail: str = "",
    level: int | None = None,
) -> None:
    incident_id = incident if isinstance(incident, int) else incident.id
    await store.add_event(
        session, incident_id=incident_id, kind=kind, at=at, actor=actor, detail=detail, level=level
    )
    await audit.record(
        session,
        actor=actor or "oncall-bot",
        source=source if actor else "scheduler",
        action=f"incident.{kind.value}",
        subject=f"#{incident_id}",
        detail=detail,
        at=at,
    )


async def note(
    session: AsyncSession,
    *,
    incident_id: int,
    kind: EventKind,
    actor: str | None,
    source: str,
    at: datetime,
    detail: str = "",
) -> None:
    """Add a timeline entry that changes no state (an alert still firing); the caller commits."""
    await _record(session, incident_id, kind, actor=actor, source=source, at=at, detail=detail)


async def declare(
    session: AsyncSession,
    *,
    key: str,
    declaration: Declaration,
    at: datetime,
    until_resolved: bool = False,
    source: str = "slack",
) -> tuple[Incident, bool]:
    """Store a new incident, or return the one this same request already declared (False).

    With `until_resolved` (a message's key) the key stands for its incident only while that is open:
    once it is resolved, the key declares another, stored under `key#2`, then `key#3`...
    """
    if until_resolved:
        earlier = await store.by_key_or_its_next(session, key)
        if earlier and earlier[-1].is_open:
            return earlier[-1], False
        key = f"{key}#{len(earlier) + 1}" if earlier else key
    existing = await store.by_key(session, key)
    if existing is not None:
        return existing, False
    try:
        incident = await store.insert(session, key=key, declaration=declaration, at=at)
        await _record(
            session,
            incident,
            EventKind.DECLARED,
            actor=declaration.declared_by,
            source=source,
            at=at,
            detail=declaration.summary,
        )
        await session.commit()
    except IntegrityError:  # the same request, redelivered at the same moment
        await session.rollback()
        again = await store.by_key(session, key)
        assert again is not None
        return again, False
    return incident, True


async def _current(session: AsyncSession, incident_id: int) -> Incident:
    incident = await store.get(session, incident_id)
    if incident is None:
        raise IncidentRefused(f"There is no incident #{incident_id}.")
    return incident


async def acknowledge(
    session: AsyncSession, *, incident_id: int, person: str, at: datetime, source: str = "slack"
) -> Incident:
    """Record who acknowledged; a double click or a second person counts once."""
    if not await store.acknowledge(session, incident_id=incident_id, person=person, at=at):
        await session.rollback()
        incident = await _current(session, incident_id)
        if not incident.is_open:
            raise IncidentRefused(f"Incident #{incident_id} is resolved; reopen it first.")
        raise IncidentRefused("It was already acknowledged.")
    await _record(session, incident_id, EventKind.ACKNOWLEDGED, actor=person, source=source, at=at)
    await session.commit()
    return await _current(session, incident_id)


async def escalate(
    session: AsyncSession,
    *,
    view: TeamView,
    incident_id: int,
    person: str | None,
    at: datetime,
    why: str = "",
    seen_level: int | None = None,
    source: str = "slack",
) -> Incident:
    """Call the next level; refused when resolved, when every level was called, or when someone just did.

    `seen_level` is the level the caller decided on; if it moved since, nothing is escalated, so a
    sweep that read a stale incident never skips a level's waiting time.
    """
    incident = await _current(session, incident_id)
    if not incident.is_open:
        raise IncidentRefused(f"Incident #{incident_id} is resolved; reopen it first.")
    if seen_level is not None and incident.level != seen_level:
        raise IncidentRefused("It was just escalated by someone else.")
    ladder = ladder_of(view, incident)
    if escalation.next_level(incident, ladder) is None:
        raise IncidentRefused("Every escalation level was already called.")
    if not await store.raise_level(session, incident_id=incident_id, seen=incident.level, at=at):
        await session.rollback()
        raise IncidentRefused("It was just escalated by someone else.")
    level = incident.level + 1
    await _record(
        session, incident_id, EventKind.ESCALATED, actor=person, source=source, at=at, detail=why, level=level
    )
    await session.commit()
    return await _current(session, incident_id)


async def resolve(
    session: AsyncSession,
    *,
    incident_id: int,
    person: str,
    resolution: str,
    at: datetime,
    source: str = "slack",
) -> Incident:
    """Close the incident with a one-line resolution; the escalation timer stops with it."""
    if not await store.resolve(session, incident_id=incident_id, person=person, resolution=resolution, at=at):
        await session.rollback()
        await _current(session, incident_id)
        raise IncidentRefused(f"Incident #{incident_id} was already resolved.")
    await _record(
        session, incident_id, EventKind.RESOLVED, actor=person, source=source, at=at, detail=resolution
    )
    await session.commit()
    return await _current(session, incident_id)


async def reopen(
    session: AsyncSession, *, incident_id: int, person: str, at: datetime, source: str = "slack"
) -> Incident:
    """Open a resolved incident again, unacknowledged; escalation starts over from level 0, as its
    timeline entry keeps, so the thread can say the levels will be called again."""
    if not await store.reopen(session, incident_id=incident_id, at=at):
        await session.rollback()
        await _current(session, incident_id)
        raise IncidentRefused(f"Incident #{incident_id} is already open.")
    reopened = await _current(session, incident_id)
    await _record(
        session, reopened, EventKind.REOPENED, actor=person, source=source, at=at, level=reopened.level
    )
    await session.commit()
    return reopened


@dataclass(frozen=True)
class IncidentStatus:
    incident: Incident
    pipeline: str  # its name, or its key when the team file no longer has it
    timeline: list[Event]
    unreachable: dict[int, dict[str, str]]  # per escalation event: whom it called in vain, and why


async def status(session: AsyncSession, *, view: TeamView, incident_id: int) -> IncidentStatus | None:
    """One incident with its timeline, also when its pipeline was removed from the team file."""
    found = await store.get(session, incident_id)
    if found is None:
        return None
    timeline = await store.events(session, incident_id)
    called = await unreachable_called(session, view=view, incident=found, events=timeline)
    return IncidentStatus(found, pipeline_name(view, found), timeline, called)


def pipeline_name(view: TeamView, incident: Incident) -> str:
    return next((p.name for p in view.file.pipelines if p.key == incident.pipeline), incident.pipeline)


def ladder_of(view: TeamView, incident: Incident) -> list[escalation.Level]:
    pipeline = next((p for p in view.file.pipelines if p.key == incident.pipeline), None)
    return escalation.levels(pipeline, view.file.people)


async def escalate_due(
    session: AsyncSession, *, view: TeamView, policy: escalation.Policy, now: datetime
) -> list[Incident]:
    """Escalate every unacknowledged incident whose next level is due, one level each, saying why.

    It reads only the store, so it picks up where it left off after a restart; a compare-and-set on
    the level makes a second replica running it at the same moment escalate nothing twice.
    """
    escalated = []
    for incident in await store.open_incidents(session):
        if not escalation.is_due(incident, ladder_of(view, incident), policy, now):
            continue
        reopened_at = await _reopened_at(session, incident)
        why = escalation.why_automatic(incident, policy, now=now, reopened_at=reopened_at)
        try:
            escalated.append(
                await escalate(
                    session,
                    view=view,
                    incident_id=incident.id,
                    person=None,
                    at=now,
                    why=why,
                    seen_level=incident.level,
                )
            )
        except IncidentRefused:
            continue  # acknowledged, resolved or escalated since it was read
    return escalated


async def _reopened_at(session: AsyncSession, incident: Incident) -> datetime | None:
    reopens = [e.at for e in await store.events(session, incident.id) if e.kind is EventKind.REOPENED]
    return reopens[-1] if reopens else None


async def unreachable_called(
    session: AsyncSession, *, view: TeamView, incident: Incident, events: Sequence[Event]
) -> dict[int, dict[str, str]]:
    """For each escalation event: those of the team it called who could not be reached then, and why."""
    ladder = ladder_of(view, incident)
    found = {}
    for event in events:
        if event.kind is EventKind.ESCALATED and event.level and event.level <= len(ladder):
            targets = ladder[event.level - 1].targets
            called = [t.ref for t in targets if t.kind is escalation.TargetKind.PERSON]
            found[event.id] = await _unreachable(session, view=view, people=called, at=event.at)
    return found


async def _unreachable(
    session: AsyncSession, *, view: TeamView, people: Sequence[str], at: datetime
) -> dict[str, str]:
    if not people:
        return {}
    now = await on_call(session, at=at, view=view)
    reach = await availability(session, view=view, people=people, at=at, on_call_now=now)
    return {person: r.why for person, r in reach.items() if not r.available}


def reaches(card: PipelineCard) -> list[Reach]:
    """Who the incident on this pipeline must reach now, and who stands in for anyone unavailable."""
    pairs = [
        OnCallPair(a.primary.person, a.backup.person if a.backup else None)
        for a in card.on_call
        if a.primary and a.primary.person
    ]
    unavailable = {pid: r.why for pid, r in card.reach.items() if not r.available}
    return audience(
        primary_owner=card.pipeline.primary,
        secondary_owner=card.pipeline.secondary,
        on_call=pairs,
        unavailable=unavailable,
    )


async def join(
    session: AsyncSession, *, incident_id: int, person: str, note: str, at: datetime, source: str = "slack"
) -> Incident:
    """Someone who saw the same outage joins the open incident, with what they saw, instead of
    declaring a second one."""
    incident = await _current(session, incident_id)
    if not incident.is_open:
        raise IncidentRefused(f"Incident #{incident_id} is resolved; declare a new one if it broke again.")
    await _record(session, incident, EventKind.JOINED, actor=person, source=source, at=at, detail=note)
    await session.commit()
    return incident


async def declared_with(session: AsyncSession, key: str) -> Incident | None:
    """The incident a declaration's key already stored, e.g. when Slack delivers a command again."""
    return await store.by_key(session, key)


async def find(session: AsyncSession, incident_id: int) -> Incident | None:
    return await store.get(session, incident_id)


async def open_incidents(session: AsyncSession) -> list[Incident]:
    return await store.open_incidents(session)


async def handoff_report(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime
) -> HandoffIncidents:
    """Incidents open now, and those of the shift [since, until) resolved since it began.

    One resolved after `until` but before a late post counts too (else no handoff would show it
    resolved); the next handoff then lists it again, as resolved since the one before.
    """
    still_open = await store.open_incidents(session)
    closed = await store.resolved_since(session, since=since, declared_before=until)
    reopened = await store.reopened_among(session, [i.id for i in (*still_open, *closed)])
    names = {p.key: p.name for p in view.file.pipelines}
    return HandoffIncidents(still_open, closed, names, frozenset(reopened))
