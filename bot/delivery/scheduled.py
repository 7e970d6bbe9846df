"""What the scheduled jobs post, as plain values, and sending each through the ledger once."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule import shift_at
from bot.core.team import Person, Pipeline
from bot.delivery.checklists import all_done_post, investor_pipelines, month_end_posts, team_rotation
from bot.delivery.job_names import POST_JOBS
from bot.delivery.outbox import REFUSED_RETRY, send_once
from bot.delivery.post import Builder, Post
from bot.delivery.user_groups import follow_once
from bot.features.handoff.handoff import Handoff, handoffs_between
from bot.features.handoff.reminders import holiday_notices, shift_reminders
from bot.features.oncall.views import TeamView
from bot.messages.handoff import handoff_blocks
from bot.messages.reminders import holiday_notice_blocks, shift_reminder_blocks
from bot.settings import Settings
from bot.store.checklists import Entry
from bot.store.holiday_covers import record_holiday_cover

log = logging.getLogger(__name__)


def handoff_post(handoff: Handoff, people: Mapping[str, Person]) -> Post:
    text = f"Handoff: {handoff.rotation.name}"
    blocks = handoff_blocks(handoff, people)
    return Post(
        handoff.key,
        "handoff",
        handoff.rotation.name,
        handoff.channel,
        blocks,
        text,
        handoff.at,
        user_group=handoff.group,
    )


async def handoff_posts(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime
) -> list[Post]:
    """Each rotation's handoffs in (since, until]."""
    handoffs = await handoffs_between(session, view=view, since=since, until=until)
    return [handoff_post(h, view.people) for h in handoffs]


async def reminder_posts(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime
) -> list[Post]:
    """Shift reminders (by DM) and holiday notices whose time falls in (since, until]."""
    people = view.people
    posts = []
    for reminder in await shift_reminders(session, view=view, since=since, until=until):
        person = reminder.turn.person
        slack_id = people[person].slack_id if person in people else None
        if slack_id is None:
            log.warning("no Slack id for %s: %s not sent", person, reminder.key)
            continue
        text = f"You are on call for {reminder.rotation.name} soon"
        blocks = shift_reminder_blocks(reminder)
        rotation = reminder.rotation.name
        posts.append(Post(reminder.key, "reminder", rotation, slack_id, blocks, text, reminder.send_at))
    for notice in await holiday_notices(session, view=view, since=since, until=until):
        if notice.duty.person:  # kept with the post, so the years after are planned from it
            day = notice.duty.holiday.day
            await record_holiday_cover(
                session, rotation=notice.rotation.name, day=day, person=notice.duty.person
            )
        text = f"Tomorrow: {notice.duty.holiday.name}"
        blocks = holiday_notice_blocks(notice, people)
        rotation = notice.rotation.name
        posts.append(Post(notice.key, "holiday", rotation, notice.channel, blocks, text, notice.send_at))
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
        hold=REFUSED_RETRY,
    )
    # Every run asks again for what is due within the grace window: only news is worth a line.
    log.log(logging.INFO if outcome == "sent" else logging.DEBUG, "%s: %s", post.key, outcome)
    # Whatever became of the post: the group follows who is on call, unless that changed since.
    if post.user_group and post.user_group.current(now):
        await follow_once(sessions, client, post.user_group, owner=owner, now=now)
    return outcome


async def tell_all_done(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    *,
    view: TeamView,
    pipeline: Pipeline,
    period: str,
    items: Sequence[Entry],
    owner: str,
    now: datetime,
) -> str | None:
    """Say in the checklist's thread that all is done, once, as soon as the last box is ticked."""
    rotation = team_rotation(view)
    if rotation is None or not items or not all(e.ticked_by for e in items):
        return None
    post = all_done_post(view, rotation, pipeline, period, due=now)
    return await send_post(sessions, client, post, owner=owner, now=now)


def scheduled_parts(view: TeamView, *, runbooks_dir: Path, business_days: int) -> list[tuple[str, Builder]]:
    """The rituals' posts in parts that fail alone: handoffs, reminders, each pipeline's month end."""
    parts: list[tuple[str, Builder]] = [
        ("handoffs", partial(handoff_posts, view=view)),
        ("reminders", partial(reminder_posts, view=view)),
    ]
    for pipeline in investor_pipelines(view):
        month_end = partial(
            month_end_posts,
            view=view,
            pipeline=pipeline,
            runbooks_dir=runbooks_dir,
            business_days=business_days,
        )
        parts.append((f"month-end {pipeline.key}", month_end))
    return parts


JOBS = POST_JOBS


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


async def due_posts(session: AsyncSession, build: Builder, *, since: datetime, until: datetime) -> list[Post]:
    """The posts `build` finds due in (since, until], with what building them stored (a month's
    checklist items are created with their post) committed, so they can be sent."""
    posts = await build(session, since=since, until=until)
    await session.commit()
    return posts


async def job_posts(
    session: AsyncSession,
    *,
    view: TeamView,
    job: str,
    at: datetime,
    rotation: str | None,
    settings: Settings,
    keep: bool,
) -> list[Post]:
    """What running `job` by hand at `at` posts: the latest handoff, or what fell due in the day before.
    With `keep`, what building them stored is committed, as for sending them; else it is not."""
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
        posts = []
        for pipeline in investor_pipelines(view):
            posts += await month_end_posts(
                session,
                view=view,
                pipeline=pipeline,
                runbooks_dir=settings.runbooks_dir,
                business_days=settings.month_end_business_days,
                since=since,
                until=at,
            )
    if keep:
        await session.commit()
    return [p for p in posts if rotation in (None, p.rotation)]
