"""The month-end checklists as people see them: how far this month's have got, and ticking a box,
committed here so every door records a tick the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.month_end import month_end_window
from bot.core.team import Pipeline
from bot.features.oncall.views import TeamView
from bot.store import checklists


@dataclass(frozen=True)
class ChecklistState:
    period: str  # YYYY-MM
    pipelines: list[Pipeline]  # the investor-facing ones, each with a checklist
    items: list[checklists.Entry]
    starts: date | None  # the first day of this month's checklists


async def state(session: AsyncSession, *, view: TeamView, at: datetime, business_days: int) -> ChecklistState:
    """This month's checklists at `at`, in the team's zone."""
    local = at.astimezone(ZoneInfo(view.file.timezone)).date()
    days_off = {h.day for h in view.calendar.holidays_in(local.year)}
    window = month_end_window(local.year, local.month, days_off, business_days)
    return ChecklistState(
        period=f"{local:%Y-%m}",
        pipelines=[p for p in view.file.pipelines if p.investor_facing],
        items=await checklists.entries(session, period=f"{local:%Y-%m}"),
        starts=window[0] if window else None,
    )


async def tick(
    session: AsyncSession,
    *,
    period: str,
    pipeline: str,
    changed: Iterable[tuple[int, str | None]],
    at: datetime,
) -> None:
    """Set the boxes a person changed, (position, who ticked it or None), and nothing else: two
    people ticking different boxes at once both count."""
    for position, person in changed:
        await checklists.set_ticked(
            session, period=period, pipeline=pipeline, position=position, person=person, at=at
        )
    await session.commit()
