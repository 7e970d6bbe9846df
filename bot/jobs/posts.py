"""What the scheduled jobs post, as plain values, and sending each through the ledger once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.jobs.handoff import Handoff, handoffs_between, send_once
from bot.jobs.month_end import MonthEndDay, checklist_items, window_days
from bot.jobs.reminders import holiday_notices, shift_reminders
from bot.runbooks.parse import load_runbook
from bot.schedule import shift_at
from bot.services.oncall import TeamView
from bot.settings import Settings
from bot.slack.blocks.checklist import checklist_blocks, nudge_blocks
from bot.slack.blocks.handoff import handoff_blocks
from bot.slack.blocks.reminders import holiday_notice_blocks, shift_reminder_blocks
from bot.store import checklists
from bot.teamfile.schema import Person, Pipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Post:
    key: str  # the ledger key: each is sent once
    job: str
    rotation: str
    channel: str  # a channel, or a user id for a direct message
    blocks: list[dict[str, Any]]
    text: str
    thread_of: str | None = None  # the ledger key of the post this one replies to
    user_group: tuple[str, list[str]] | None = None  # (group id, Slack ids) to set once it is sent


def handoff_post(handoff: Handoff, people: Mapping[str, Person]) -> Post:
    text = f"Handoff: {handoff.rotation.name}"
    blocks = handoff_blocks(handoff, people)
    incoming = [people[s.person].slack_id for s in handoff.incoming if s and s.person and s.person in people]
    group = (handoff.user_group, [i for i in incoming if i]) if handoff.user_group else None
    return Post(
        handoff.key, "handoff", handoff.rotation.name, handoff.channel, blocks, text, user_group=group
    )


async def reminder_posts(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime
) -> list[Post]:
    """Shift reminders (by DM) and holiday notices whose time falls in (since, until]."""
    people = view.people
    posts = []
    for reminder in await shift_reminders(session, view=view, since=since, until=until):
        slack_id = people[reminder.person].slack_id if reminder.person in people else None
        if slack_id is None:
            log.warning("no Slack id for %s: %s not sent", reminder.person, reminder.key)
            continue
        text = f"You are on call for {reminder.rotation.name} soon"
        blocks = shift_reminder_blocks(reminder)
        posts.append(Post(reminder.key, "reminder", reminder.rotation.name, slack_id, blocks, text))
    for notice in await holiday_notices(session, view=view, since=since, until=until):
        text = f"Tomorrow: {notice.duty.holiday.name}"
        blocks = holiday_notice_blocks(notice, people)
        posts.append(Post(notice.key, "holiday", notice.rotation.name, notice.channel, blocks, text))
    return posts


async def send_post(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    post: Post,
    *,
    owner: str,
    now: datetime,
) -> str:
    outcome = await send_once(
        sessions,
        client,
        key=post.key,
        job=post.job,
        channel=post.channel,
        blocks=post.blocks,
        text=post.text,
        owner=owner,
        now=now,
        thread_of=post.thread_of,
    )
    log.info("%s: %s", post.key, outcome)
    if outcome == "sent" and post.user_group and post.user_group[1]:
        await _follow(client, *post.user_group)
    return outcome


async def _follow(client: AsyncWebClient, group: str, slack_ids: list[str]) -> None:
    """Point the rotation's user group (e.g. @data-oncall) at the incoming primary and backup."""
    try:
        await client.usergroups_users_update(usergroup=group, users=",".join(slack_ids))
    except (SlackApiError, OSError) as error:
        log.error("could not update user group %s: %s", group, error)


async def month_end_posts(
    session: AsyncSession,
    *,
    view: TeamView,
    runbooks_dir: Path,
    business_days: int,
    since: datetime,
    until: datetime,
) -> list[Post]:
    """The month-end checklists on the window's first business day, and a reminder in each thread after."""
    rotation = next(iter(view.rotations.values()), None)
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
    channel = view.config(rotation.name).channel
    posts = []
    for day in days:
        for pipeline in (p for p in view.file.pipelines if p.investor_facing):
            posts.append(
                await _month_end_post(session, view, runbooks_dir, day, pipeline, channel, rotation.name)
            )
    return posts


async def _month_end_post(
    session: AsyncSession,
    view: TeamView,
    runbooks_dir: Path,
    day: MonthEndDay,
    pipeline: Pipeline,
    channel: str,
    rotation: str,
) -> Post:
    key = f"month-end:{pipeline.key}:{day.period}"
    if day.first:
        texts = checklist_items(load_runbook(runbooks_dir, pipeline.runbook)) if pipeline.runbook else []
        await checklists.ensure_items(session, period=day.period, pipeline=pipeline.key, texts=texts)
    items = await checklists.entries(session, period=day.period, pipeline=pipeline.key)
    if day.first:
        blocks = checklist_blocks(pipeline, day.period, items, view.people, view.file.timezone)
        return Post(key, "month-end", rotation, channel, blocks, f"Month-end checklist: {pipeline.name}")
    blocks = nudge_blocks(pipeline, items, view.people)
    return Post(
        f"{key}:{day.day}", "month-end", rotation, channel, blocks, f"Still open: {pipeline.name}", key
    )


JOBS = ("handoff", "reminders", "month-end")


async def latest_handoffs(
    session: AsyncSession, *, view: TeamView, at: datetime, rotation: str | None
) -> list[Handoff]:
    """The handoff each rotation made most recently at or before `at`."""
    found = []
    for rot in view.select(rotation):
        current = shift_at(rot, at)
        if current is not None:
            since = current.start - timedelta(microseconds=1)
            found += await handoffs_between(
                session, view=view, since=since, until=current.start, rotation=rot.name
            )
    return found


async def job_posts(
    session: AsyncSession, *, view: TeamView, job: str, at: datetime, rotation: str | None, settings: Settings
) -> list[Post]:
    """What running `job` by hand at `at` posts: the latest handoff, or what fell due in the day before."""
    if job == "handoff":
        return [
            handoff_post(h, view.people)
            for h in await latest_handoffs(session, view=view, at=at, rotation=rotation)
        ]
    view.select(rotation)  # an unknown rotation is refused before anything is sent
    since = at - timedelta(days=1)
    if job == "reminders":
        posts = await reminder_posts(session, view=view, since=since, until=at)
    else:
        posts = await month_end_posts(
            session,
            view=view,
            runbooks_dir=settings.runbooks_dir,
            business_days=settings.month_end_business_days,
            since=since,
            until=at,
        )
    return [p for p in posts if rotation in (None, p.rotation)]
