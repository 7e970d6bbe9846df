"""Import and export of the team file: config as code, applied whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.team import Pipeline, RotationConfig, TeamFile
from bot.store import audit
from bot.store.models import (
    AbsenceRow,
    BackupPair,
    CompanyHoliday,
    OverrideRow,
    PersonRow,
    PinnedHoliday,
    PipelineRow,
    RotationMember,
    RotationRow,
    TeamSettings,
)
from bot.store.team import load_team, team_revision

SYMBOLS = {"add": "+", "update": "~", "remove": "-"}


@dataclass(frozen=True)
class Change:
    action: Literal["add", "update", "remove"]
    kind: str  # setting, holiday, pin, person, pipeline, rotation
    key: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{SYMBOLS[self.action]} {self.kind} {self.key}" + (f": {self.detail}" if self.detail else "")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_changes(old: BaseModel, new: BaseModel) -> str:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return ", ".join(f"{k} {_short(before[k])} -> {_short(after[k])}" for k in after if before[k] != after[k])


def _diff(kind: str, old: Mapping[str, BaseModel], new: Mapping[str, BaseModel], label: str) -> list[Change]:
    changes = [Change("add", kind, k, _short(getattr(v, label))) for k, v in new.items() if k not in old]
    changes += [
        Change("update", kind, k, _field_changes(old[k], v))
        for k, v in new.items()
        if k in old and old[k] != v
    ]
    return changes + [Change("remove", kind, k) for k in old if k not in new]


def diff_teams(old: TeamFile | None, new: TeamFile) -> list[Change]:
    """What importing `new` over `old` changes, in a stable order a person can read."""
    changes: list[Change] = []
    base = old or TeamFile(timezone="UTC", people=[])
    if old is None or old.timezone != new.timezone:
        changes.append(Change("update" if old else "add", "setting", "timezone", new.timezone))
    where = (base.holidays.country, base.holidays.subdivision)
    if old is None or where != (new.holidays.country, new.holidays.subdivision):
        place = new.holidays.country + (f"-{new.holidays.subdivision}" if new.holidays.subdivision else "")
        changes.append(Change("update" if old else "add", "setting", "holidays", place))
    changes += _diff("person", {p.id: p for p in base.people}, {p.id: p for p in new.people}, "name")
    changes += _diff(
        "pipeline", {p.key: p for p in base.pipelines}, {p.key: p for p in new.pipelines}, "name"
    )
    changes += _diff(
        "rotation", {r.name: r for r in base.rotations}, {r.name: r for r in new.rotations}, "channel"
    )
    changes += _simple(
        "holiday",
        {str(h.date): h.name for h in base.holidays.extra},
        {str(h.date): h.name for h in new.holidays.extra},
    )
    changes += _simple(
        "pin",
        {str(d): p for d, p in base.holidays.pinned.items()},
        {str(d): p for d, p in new.holidays.pinned.items()},
    )
    changes += _simple(
        "big day",
        {name: f"weight {w}" for name, w in base.holidays.big_days.items()},
        {name: f"weight {w}" for name, w in new.holidays.big_days.items()},
    )
    return changes


def _simple(kind: str, old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    changes = [Change("add", kind, k, v) for k, v in new.items() if k not in old]
    changes += [
        Change("update", kind, k, f"{old[k]} -> {v}") for k, v in new.items() if k in old and old[k] != v
    ]
    return changes + [Change("remove", kind, k, old[k]) for k in old if k not in new]


async def _taken_along(session: AsyncSession, person: str) -> str:
    counts = []
    for label, column in (("absence", AbsenceRow.person_id), ("override", OverrideRow.person_id)):
        n = await session.scalar(select(func.count()).where(column == person))
        if n:
            counts.append(f"{n} {label}{'s' if n != 1 else ''}")
    return f"and {', '.join(counts)}" if counts else ""


async def import_team(
    session: AsyncSession, *, team: TeamFile, actor: str, source: str, dry_run: bool = False
) -> list[Change]:
    """Apply a validated team file in one transaction; the changes, none when it already matches."""
    old = await load_team(session)
    changes = diff_teams(old, team)
    changes = [
        Change(c.action, c.kind, c.key, await _taken_along(session, c.key))
        if c.kind == "person" and c.action == "remove"
        else c
        for c in changes
    ]
    if not changes or dry_run:
        await session.rollback()
        return changes
    revision = (await team_revision(session) or 0) + 1
    try:
        await _write(session, team, old, revision)
        for change in changes:
            await audit.record(
                session,
                actor=actor,
                source=source,
                action=f"{change.kind}.{change.action}",
                subject=change.key,
                detail=change.detail,
            )
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return changes


async def _write(session: AsyncSession, team: TeamFile, old: TeamFile | None, revision: int) -> None:
    # Rows are written from the file, not patched, so nothing loaded earlier may linger.
    session.expunge_all()
    if old is not None:
        await _remove_missing(session, old, team)
    await session.merge(
        TeamSettings(
            id=1,
            revision=revision,
            timezone=team.timezone,
            holiday_country=team.holidays.country,
            holiday_subdivision=team.holidays.subdivision,
            holiday_big_days=team.holidays.big_days,
        )
    )
    for position, person in enumerate(team.people):
        await session.merge(PersonRow(position=position, **person.model_dump()))
    await session.flush()
    for position, pipeline in enumerate(team.pipelines):
        await session.merge(_pipeline_row(pipeline, position))
    for position, rotation in enumerate(team.rotations):
        await _write_rotation(session, rotation, position)
    await _replace(
        session, CompanyHoliday, [CompanyHoliday(day=h.date, name=h.name) for h in team.holidays.extra]
    )
    await _replace(
        session, PinnedHoliday, [PinnedHoliday(day=d, person_id=p) for d, p in team.holidays.pinned.items()]
    )


def _pipeline_row(pipeline: Pipeline, position: int) -> PipelineRow:
    data = pipeline.model_dump(mode="json")
    return PipelineRow(
        key=pipeline.key,
        name=pipeline.name,
        area=pipeline.area,
        investor_facing=pipeline.investor_facing,
        primary_id=pipeline.primary,
        secondary_id=pipeline.secondary,
        runbook=pipeline.runbook,
        aliases=data["aliases"],
        escalation=data["escalation"],
        heartbeat=data["heartbeat"],
        position=position,
    )


async def _write_rotation(session: AsyncSession, rotation: RotationConfig, position: int) -> None:
    await session.merge(
        RotationRow(
            name=rotation.name,
            channel=rotation.channel,
            unit=rotation.unit,
            length=rotation.length,
            handoff_weekday=rotation.handoff.weekday_number,
            handoff_time=rotation.handoff.time,
            timezone=rotation.timezone,
            start=rotation.start,
            user_group=rotation.user_group,
            position=position,
        )
    )
    await session.flush()
    await session.execute(delete(RotationMember).where(RotationMember.rotation == rotation.name))
    await session.execute(delete(BackupPair).where(BackupPair.rotation == rotation.name))
    await session.flush()
    session.add_all(
        RotationMember(rotation=rotation.name, position=i, person_id=m)
        for i, m in enumerate(rotation.members)
    )
    if rotation.backup != "next":
        session.add_all(
            BackupPair(rotation=rotation.name, primary_id=p.primary, backup_id=p.backup)
            for p in rotation.backup
        )
    await session.flush()


async def _replace(session: AsyncSession, model: type, rows: Iterable[Any]) -> None:
    await session.execute(delete(model))
    session.add_all(rows)
    await session.flush()


async def _remove_missing(session: AsyncSession, old: TeamFile, new: TeamFile) -> None:
    """Delete what the file no longer names; a person's removal takes their absences and overrides."""
    keep_pipelines = {p.key for p in new.pipelines}
    keep_rotations = {r.name for r in new.rotations}
    keep_people = {p.id for p in new.people}
    for pipeline in old.pipelines:
        if pipeline.key not in keep_pipelines:
            await session.execute(delete(PipelineRow).where(PipelineRow.key == pipeline.key))
    for rotation in old.rotations:
        if rotation.name not in keep_rotations:
            await session.execute(delete(RotationRow).where(RotationRow.name == rotation.name))
    for person in old.people:
        if person.id not in keep_people:
            await session.execute(delete(PersonRow).where(PersonRow.id == person.id))
    await session.flush()


async def export_team(session: AsyncSession) -> TeamFile | None:
    """The stored team, in the team file's shape; None before the first import."""
    return await load_team(session)
