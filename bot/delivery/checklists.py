"""The month-end posts of an investor-facing pipeline: its checklist, drawn from its runbook, and a
daily reply in the checklist's thread with what is still open."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.month_end import MonthEndDay, checklist_items, window_days
from bot.core.runbooks.parse import RunbookError
from bot.core.schedule.model import Rotation
from bot.core.team import Pipeline
from bot.delivery.post import Post
from bot.features.oncall.runbooks import load_runbook
from bot.features.oncall.views import TeamView
from bot.messages.checklist import (
    all_done_blocks,
    checklist_blocks,
    nudge_blocks,
    unreadable_checklist_blocks,
)
from bot.store import checklists, ledger
from bot.store.checklists import Entry


def investor_pipelines(view: TeamView) -> list[Pipeline]:
    return [p for p in view.file.pipelines if p.investor_facing]


async def month_end_posts(
    session: AsyncSession,
    *,
    view: TeamView,
    pipeline: Pipeline,
    runbooks_dir: Path,
    business_days: int,
    since: datetime,
    until: datetime,
) -> list[Post]:
    """A pipeline's month-end posts on the window's business days in (since, until]: its checklist on
    any of them until it is sent (the ledger keeps it once, so a bot down on the first day still posts
    it), and from the next day on a reply in its thread with what is still open, until all is done.
    """
    rotation = team_rotation(view)
    if rotation is None:
        return []
    days_off = {h.day for year in (since.year, until.year) for h in view.calendar.holidays_in(year)}
    days = window_days(
        since=since,
        until=until,
        zone=rotation.timezone,
        at=rotation.handoff_time,
        days_off=days_off,
        business_days=business_days,
    )
    posts = []
    for day in days:
        posts += await _month_end_day(session, view, runbooks_dir, day, pipeline, rotation)
    return posts


async def _month_end_day(
    session: AsyncSession,
    view: TeamView,
    runbooks_dir: Path,
    day: MonthEndDay,
    pipeline: Pipeline,
    rotation: Rotation,
) -> list[Post]:
    key, last = checklist_key(pipeline, day.period), day.last_send_at
    post = partial(Post, job="month-end", rotation=rotation.name, channel=view.config(rotation.name).channel)
    try:
        items = await _items(session, runbooks_dir, day.period, pipeline)
    except RunbookError as error:
        # Under a key of its own: the checklist itself still follows once the runbook is fixed.
        blocks = unreadable_checklist_blocks(pipeline, day.period, str(error), view.people)
        text = f"Runbook unreadable: {pipeline.name}"
        return [post(key=f"{key}:unreadable", blocks=blocks, text=text, due=day.send_at, last_due=last)]
    blocks = checklist_blocks(pipeline, day.period, items, view.people, view.file.timezone)
    text = f"Month-end checklist: {pipeline.name}"
    checklist = post(key=key, blocks=blocks, text=text, due=day.send_at, last_due=last)
    if not items:  # nothing to tick, nothing to remind of
        return [checklist]
    if all(e.ticked_by for e in items):  # said at the last tick; here if that failed
        return [
            checklist,
            all_done_post(view, rotation, pipeline, day.period, due=day.send_at, last_due=last),
        ]
    if not await _posted_before(session, key, day, rotation.timezone):
        return [checklist]  # it goes out today (late, if the bot was down): it says it all
    still_open = nudge_blocks(pipeline, items, view.people)
    text = f"Still open: {pipeline.name}"
    nudge = post(key=f"{key}:{day.day}", blocks=still_open, text=text, due=day.send_at, thread_of=key)
    return [checklist, nudge]


async def _posted_before(session: AsyncSession, key: str, day: MonthEndDay, zone: str) -> bool:
    sent = await ledger.sent_at(session, key)
    return sent is not None and sent.astimezone(ZoneInfo(zone)).date() < day.day


def checklist_key(pipeline: Pipeline, period: str) -> str:
    return f"month-end:{pipeline.key}:{period}"


def all_done_post(
    view: TeamView,
    rotation: Rotation,
    pipeline: Pipeline,
    period: str,
    *,
    due: datetime,
    last_due: datetime | None = None,
) -> Post:
    """The reply in the checklist's thread saying all is ticked, under a key of its own: said once."""
    key = checklist_key(pipeline, period)
    return Post(
        key=f"{key}:done",
        job="month-end",
        rotation=rotation.name,
        channel=view.config(rotation.name).channel,
        blocks=all_done_blocks(pipeline),
        text=f"All done: {pipeline.name}",
        due=due,
        thread_of=key,
        last_due=last_due,
    )


def team_rotation(view: TeamView) -> Rotation | None:
    """The month-end week is the team's, not a rotation's: it follows the first rotation's zone,
    handoff time and channel."""
    return next(iter(view.rotations.values()), None)


async def _items(session: AsyncSession, runbooks_dir: Path, period: str, pipeline: Pipeline) -> list[Entry]:
    """The month's boxes, drawn from the runbook the first time they are asked for."""
    if items := await checklists.entries(session, period=period, pipeline=pipeline.key):
        return items
    texts = checklist_items(load_runbook(runbooks_dir, pipeline.runbook)) if pipeline.runbook else []
    await checklists.ensure_items(session, period=period, pipeline=pipeline.key, texts=texts)
    return await checklists.entries(session, period=period, pipeline=pipeline.key)
