"""The stored team as a TeamFile: the same values the team file describes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.team import WEEKDAYS, Handoff, HolidaySettings, Person, Pipeline, RotationConfig, TeamFile
from bot.core.team import BackupPair as BackupPairModel
from bot.core.team import CompanyHoliday as CompanyHolidayModel
from bot.store.models import (
    BackupPair,
    CompanyHoliday,
    PersonRow,
    PinnedHoliday,
    PipelineRow,
    RotationMember,
    RotationRow,
    TeamSettings,
)


async def team_revision(session: AsyncSession) -> int | None:
    """The stored team's revision, or None when nothing was ever imported. One cheap query."""
    return await session.scalar(select(TeamSettings.revision).where(TeamSettings.id == 1))


async def bump_revision(session: AsyncSession) -> None:
    """Mark the schedule changed, so every process drops what it cached (see TeamViews)."""
    await session.execute(
        update(TeamSettings).where(TeamSettings.id == 1).values(revision=TeamSettings.revision + 1)
    )


async def load_team(session: AsyncSession) -> TeamFile | None:
    """The whole stored team, or None when nothing was ever imported."""
    settings = await session.get(TeamSettings, 1)
    if settings is None:
        return None
    extra = (await session.scalars(select(CompanyHoliday).order_by(CompanyHoliday.day))).all()
    pins = (await session.scalars(select(PinnedHoliday).order_by(PinnedHoliday.day))).all()
    people = (await session.scalars(select(PersonRow).order_by(PersonRow.position))).all()
    pipelines = (await session.scalars(select(PipelineRow).order_by(PipelineRow.position))).all()
    return TeamFile(
        timezone=settings.timezone,
        holidays=HolidaySettings(
            country=settings.holiday_country,
            subdivision=settings.holiday_subdivision,
            extra=[CompanyHolidayModel(date=h.day, name=h.name) for h in extra],
            pinned={p.day: p.person_id for p in pins},
            # Stored before big days were configurable: the defaults.
            **({} if settings.holiday_big_days is None else {"big_days": settings.holiday_big_days}),
        ),
        people=[
            Person(
                id=p.id, name=p.name, slack_id=p.slack_id, email=p.email, timezone=p.timezone, admin=p.admin
            )
            for p in people
        ],
        pipelines=[_pipeline(p) for p in pipelines],
        rotations=await _rotations(session),
    )


def _pipeline(row: PipelineRow) -> Pipeline:
    return Pipeline.model_validate(
        {
            "key": row.key,
            "name": row.name,
            "area": row.area,
            "investor_facing": row.investor_facing,
            "primary": row.primary_id,
            "secondary": row.secondary_id,
            "runbook": row.runbook,
            "aliases": row.aliases,
            "escalation": row.escalation,
            "heartbeat": row.heartbeat,
        }
    )


async def _rotations(session: AsyncSession) -> list[RotationConfig]:
    members: defaultdict[str, list[str]] = defaultdict(list)
    for m in await session.scalars(select(RotationMember).order_by(RotationMember.position)):
        members[m.rotation].append(m.person_id)
    pairs: defaultdict[str, list[BackupPairModel]] = defaultdict(list)
    for p in await session.scalars(select(BackupPair)):
        pairs[p.rotation].append(BackupPairModel(primary=p.primary_id, backup=p.backup_id))
    rows = await session.scalars(select(RotationRow).order_by(RotationRow.position))
    return [
        RotationConfig(
            name=r.name,
            channel=r.channel,
            members=members[r.name],
            backup=sorted(pairs[r.name], key=lambda p: members[r.name].index(p.primary)) or "next",
            unit=r.unit,  # type: ignore[arg-type]
            length=r.length,
            handoff=Handoff(weekday=WEEKDAYS[r.handoff_weekday], time=r.handoff_time),  # type: ignore[arg-type]
            timezone=r.timezone,
            start=r.start,
            user_group=r.user_group,
        )
        for r in rows
    ]
