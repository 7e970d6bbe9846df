"""What the scheduled jobs post, as plain values, and sending each through the ledger once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.jobs.handoff import Handoff, send_once
from bot.jobs.reminders import holiday_notices, shift_reminders
from bot.services.oncall import TeamView
from bot.slack.blocks.handoff import handoff_blocks
from bot.slack.blocks.reminders import holiday_notice_blocks, shift_reminder_blocks
from bot.teamfile.schema import Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Post:
    key: str  # the ledger key: each is sent once
    job: str
    rotation: str
    channel: str  # a channel, or a user id for a direct message
    blocks: list[dict[str, Any]]
    text: str


def handoff_post(handoff: Handoff, people: Mapping[str, Person]) -> Post:
    text = f"Handoff: {handoff.rotation.name}"
    blocks = handoff_blocks(handoff, people)
    return Post(handoff.key, "handoff", handoff.rotation.name, handoff.channel, blocks, text)


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
    )
    log.info("%s: %s", post.key, outcome)
    return outcome
