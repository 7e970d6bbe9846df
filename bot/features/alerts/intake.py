"""Intake: an alert is stored, routed to a pipeline and folded into the incident its cause opened,
or opens (or reopens) one. Each step is a compare-and-set or an insert under a unique key, so the
source's own retries and two replicas receiving the same alert give one incident.

Only what changes the thread (a new or reopened incident, a "still firing" at most every ten
minutes, the source reporting resolved) is written to the timeline; the thread is posted from there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.alerts import DEFAULT_SEVERITY, STILL_FIRING_EVERY, Signal, reopens, route, still_firing_due
from bot.core.incidents.model import Declaration, EventKind, Incident
from bot.features.incidents import service as incidents
from bot.features.oncall.views import TeamView
from bot.store import alerts as store
from bot.store.alerts import Source
from bot.store.integrations import Integration

SOURCE = "alert"  # as the audit log names where these changes come from
RESOLVED_BY_SOURCE = "source reports resolved"


@dataclass(frozen=True)
class Taken:
    incident_id: int | None  # None: a "resolved" for a cause with nothing open
    told: bool  # the timeline has something new for the thread


@dataclass(frozen=True)
class Sent:
    """What one request brought: the signals of one integration."""

    integration: Integration
    signals: Sequence[Signal]


@dataclass
class _Step:
    """A run of alerts for one cause, all firing or all resolved, taken as one: the first of them
    declares or resolves, the others fold into what it did."""

    integration: Integration
    key: str
    signal: Signal
    size: int = 0  # how many alerts it takes
    alert_ids: list[int] = field(default_factory=list)
    taken: Taken | None = None  # known as it is stored, when it only adds to an open incident


def source_key(integration: Integration, signal: Signal) -> str:
    return f"{integration.name}:{signal.identity}"


def _shown(integration: Integration, signal: Signal) -> dict[str, Any]:
    return {
        "integration": integration.name,
        "summary": signal.summary,
        "description": signal.description,
        "runbook_url": signal.runbook_url,
        "link": signal.link,
        "labels": dict(signal.labels),
        "pipeline_hint": signal.pipeline_hint,
    }


@dataclass(frozen=True)
class Stored:
    """Alerts stored together, arranged as the steps that route them."""

    steps: list[_Step]
    step_of: list[list[_Step]]  # per request, the step of each of its signals


async def take(
    sessions: async_sessionmaker[AsyncSession],
    *,
    view: TeamView,
    integration: Integration,
    signals: Sequence[Signal],
    channel: str,
    at: datetime,
) -> list[Taken]:
    """Store the signals of one request, then route each."""
    async with sessions() as session:
        stored = await store_together(session, sent=[Sent(integration, signals)], at=at)
        await session.commit()
    [outcome] = await route_together(sessions, stored, view=view, channel=channel, at=at)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


async def store_together(session: AsyncSession, *, sent: Sequence[Sent], at: datetime) -> Stored:
    """Store the signals of requests that arrived together, in one statement; the caller commits
    before routing them, so that they are kept even if routing fails. A repeat of a cause whose
    incident is open, with no word due for its thread, is tied to that incident as it is stored,
    and needs no routing: a storm costs one transaction per batch."""
    steps: list[_Step] = []
    latest: dict[str, _Step] = {}  # per cause, the step its next alert may join
    step_of: list[list[_Step]] = []
    arrived: list[tuple[_Step, Integration, Signal]] = []
    for each in sent:
        step_of.append([])
        for signal in each.signals:
            key = source_key(each.integration, signal)
            step = latest.get(key)
            if step is None or step.signal.firing != signal.firing:
                step = latest[key] = _Step(each.integration, key, signal)
                steps.append(step)
            step.size += 1
            step_of[-1].append(step)
            arrived.append((step, each.integration, signal))
    open_now = await store.open_causes(session, {step.key for step in steps if step.signal.firing})
    for step in steps:
        found = open_now.get(step.key) if step.signal.firing else None
        if found and found.source_resolved_at is None and not still_firing_due(found.last_update_at, at):
            step.taken = Taken(found.incident_id, False)
    received = [
        store.Received(integration.name, step.key, signal.firing, signal.summary,
                       _shown(integration, signal), step.taken.incident_id if step.taken else None)
        for step, integration, signal in arrived
    ]  # fmt: skip
    ids: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for id_, key, firing in sorted(await store.add_alerts(session, received=received, at=at)):
        ids[key, firing].append(id_)
    for step in steps:  # a cause's alerts of one kind are alike: which step gets which id is moot
        same = ids[step.key, step.signal.firing]
        step.alert_ids = same[: step.size]
        del same[: step.size]
    return Stored(steps, step_of)


async def route_together(
    sessions: async_sessionmaker[AsyncSession],
    stored: Stored,
    *,
    view: TeamView,
    channel: str,
    at: datetime,
) -> list[list[Taken] | Exception]:
    """Route each cause once for all its stored alerts. Per request: what became of each of its
    signals, or why routing one of them failed."""
    names = [(p.key, (p.name, *p.aliases)) for p in view.file.pipelines]
    done: dict[int, Taken | Exception] = {}
    for step in stored.steps:
        if step.taken is not None:
            done[id(step)] = step.taken
            continue
        try:
            done[id(step)] = await _route(sessions, step, names=names, channel=channel, at=at)
        except Exception as error:  # the alerts are stored; the other causes still get routed
            done[id(step)] = error
    outcomes: list[list[Taken] | Exception] = []
    for request_steps in stored.step_of:
        results = [done[id(step)] for step in request_steps]
        failed = next((r for r in results if isinstance(r, Exception)), None)
        outcomes.append(failed or [r for r in results if isinstance(r, Taken)])
    return outcomes


async def _route(
    sessions: async_sessionmaker[AsyncSession],
    step: _Step,
    *,
    names: Sequence[tuple[str, tuple[str, ...]]],
    channel: str,
    at: datetime,
) -> Taken:
    integration, signal = step.integration, step.signal
    async with sessions() as session:
        if signal.firing:
            declaration = Declaration(
                pipeline=route(signal, fallback=integration.pipeline, names=names),
                severity=integration.severity or signal.severity or DEFAULT_SEVERITY,
                summary=signal.summary,
                link=signal.link,
                declared_by=integration.name,
                channel=channel,
            )
            outcome = await _fire(
                session, key=step.key, declaration=declaration, shown=_shown(integration, signal), at=at
            )
        else:
            resolution = signal.resolution or RESOLVED_BY_SOURCE
            outcome = await _resolve(
                session, key=step.key, actor=integration.name, resolution=resolution, at=at
            )
        if outcome.incident_id is not None:  # a repeat's still-firing note commits with it
            await store.link_alerts(session, alert_ids=step.alert_ids, incident_id=outcome.incident_id)
        await session.commit()
    return outcome


async def _fire(
    session: AsyncSession, *, key: str, declaration: Declaration, shown: dict[str, Any], at: datetime
) -> Taken:
    found = await store.source(session, key)
    earlier = await incidents.find(session, found.incident_id) if found else None
    if found and earlier and earlier.is_open:
        return await _fold(session, found=found, incident=earlier, actor=declaration.declared_by, at=at)
    if found and earlier and reopens(earlier.resolved_at, at):
        try:
            await incidents.reopen(
                session, incident_id=earlier.id, person=declaration.declared_by, at=at, source=SOURCE
            )
        except incidents.IncidentRefused:  # reopened by another replica a moment ago
            return await _fold(session, found=found, incident=earlier, actor=declaration.declared_by, at=at)
        await store.restart(session, key=key, incident_id=earlier.id, shown=shown, at=at)
        await session.commit()
        return Taken(earlier.id, True)
    incident, created = await incidents.declare(
        session, key=f"alert:{key}", declaration=declaration, at=at, until_resolved=True, source=SOURCE
    )
    await _remember(session, key=key, incident=incident, created=created, shown=shown, at=at)
    return Taken(incident.id, created)


async def _remember(
    session: AsyncSession, *, key: str, incident: Incident, created: bool, shown: dict[str, Any], at: datetime
) -> None:
    """Tie the cause to its incident; one another replica declared is tied already (or about to be)."""
    if await store.source(session, key) is not None:
        if created:
            await store.restart(session, key=key, incident_id=incident.id, shown=shown, at=at)
            await session.commit()
        return
    try:
        await store.add_source(session, key=key, incident_id=incident.id, shown=shown, at=at)
        await session.commit()
    except IntegrityError:  # another replica tied it first
        await session.rollback()


async def _fold(
    session: AsyncSession, *, found: Source, incident: Incident, actor: str, at: datetime
) -> Taken:
    """A repeat (already stored as an alert): tell the thread it is still firing when its last word
    is old enough. The caller commits, with the alert linked to the incident."""
    if found.source_resolved_at is not None:
        await store.fires_again(session, key=found.key)
    told = still_firing_due(found.last_update_at, at) and await store.claim_update(
        session, key=found.key, not_after=at - STILL_FIRING_EVERY, at=at
    )
    if told:
        count, _ = await store.reports(session, found)
        await incidents.note(
            session,
            incident_id=incident.id,
            kind=EventKind.STILL_FIRING,
            actor=actor,
            source=SOURCE,
            at=at,
            detail=f"reported {count} times since it opened",
        )
    return Taken(incident.id, told)


async def _resolve(session: AsyncSession, *, key: str, actor: str, resolution: str, at: datetime) -> Taken:
    """The source says the cause cleared: resolve its incident unless a person acknowledged it,
    in which case it stays for them to close, with a note."""
    found = await store.source(session, key)
    incident = await incidents.find(session, found.incident_id) if found else None
    if incident is None or not incident.is_open:
        return Taken(incident.id if incident else None, False)
    if not await store.claim_resolved(session, key=key, at=at):
        await session.rollback()
        return Taken(incident.id, False)  # a retry of a "resolved" already taken
    if incident.acked_by is None:
        try:
            await incidents.resolve(
                session,
                incident_id=incident.id,
                person=actor,
                resolution=resolution,
                at=at,
                source=SOURCE,
            )
        except incidents.IncidentRefused:  # resolved by a person meanwhile
            return Taken(incident.id, False)
        return Taken(incident.id, True)
    said = "it was acknowledged, so it stays open for a person to resolve"
    await incidents.note(
        session,
        incident_id=incident.id,
        kind=EventKind.SOURCE_RESOLVED,
        actor=actor,
        source=SOURCE,
        at=at,
        detail=said,
    )
    await session.commit()
    return Taken(incident.id, True)
