"""Pipelines by the names people type, with their owners, who covers them now and their runbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runbooks.lookup import Named, find
from bot.core.runbooks.parse import Runbook, RunbookError
from bot.core.team import Pipeline
from bot.features.oncall.people import Availability, availability
from bot.features.oncall.runbooks import load_runbook
from bot.features.oncall.views import OnCall, TeamView, on_call


@dataclass(frozen=True)
class PipelineCard:
    pipeline: Pipeline
    on_call: list[OnCall]
    reach: dict[str, Availability]  # owners and on-call people -> whether they can be reached now
    runbook: Runbook | None
    runbook_problem: str | None = None


@dataclass(frozen=True)
class PipelineLookup:
    card: PipelineCard | None
    candidates: list[Pipeline]  # when the name was ambiguous


def typed_names(pipelines: Sequence[Pipeline]) -> list[Named]:
    """What people type for each pipeline: its key, its name or one of its aliases."""
    return [Named(key=p.key, name=p.name, aliases=tuple(p.aliases)) for p in pipelines]


def find_pipeline(view: TeamView, query: str) -> tuple[Pipeline | None, list[Pipeline]]:
    """The pipeline a name, key or alias means (typos forgiven), or the candidates when ambiguous."""
    by_key = {p.key: p for p in view.file.pipelines}
    result = find(query, typed_names(view.file.pipelines))
    match = by_key[result.match.key] if result.match else None
    return match, [by_key[c.key] for c in result.candidates]


async def pipeline_card(
    session: AsyncSession, *, view: TeamView, pipeline: Pipeline, at: datetime, runbooks_dir: Path
) -> PipelineCard:
    """Owners, who is on call, who can be reached, and the runbook of one pipeline."""
    now = await on_call(session, at=at, view=view)
    people = {pipeline.primary, pipeline.secondary}
    people |= {seg.person for answer in now for seg in (answer.primary, answer.backup) if seg and seg.person}
    reach = await availability(session, view=view, people=people, at=at, on_call_now=now)
    runbook, problem = None, None
    if pipeline.runbook:
        try:
            runbook = load_runbook(runbooks_dir, pipeline.runbook)
        except RunbookError as error:
            problem = str(error)
    return PipelineCard(pipeline, now, reach, runbook, problem)


async def lookup(
    session: AsyncSession, *, view: TeamView, query: str, at: datetime, runbooks_dir: Path
) -> PipelineLookup:
    """Find a pipeline by what was typed and build its card."""
    match, candidates = find_pipeline(view, query)
    if match is None:
        return PipelineLookup(None, candidates)
    card = await pipeline_card(session, view=view, pipeline=match, at=at, runbooks_dir=runbooks_dir)
    return PipelineLookup(card, [])
