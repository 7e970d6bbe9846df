"""Making a Slack call once through the post ledger: claimed under its key first, marked sent with
where its message went, given up for the next attempt when it fails, held when Slack refuses it for
a reason retrying cannot fix."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.delivery.adopt import adopt_abandoned, post_metadata
from bot.delivery.slack_api import CONNECTION_ERRORS, failure_reason, refusal_hint
from bot.messages.common import notification_text
from bot.store import ledger

log = logging.getLogger(__name__)
# A call Slack refused for good (the bot not in the channel, a revoked token) is tried again at most
# this often while it is still due, so it goes through once the cause is fixed.
REFUSED_RETRY = timedelta(minutes=15)


async def call_once(
    sessions: async_sessionmaker[AsyncSession],
    call: Callable[[], Awaitable[tuple[str, str]]],
    *,
    key: str,
    job: str,
    target: str,
    owner: str,
    now: datetime,
    hold: timedelta,
) -> str:
    """Make a Slack call (which answers where its message went: channel and ts) unless the ledger
    says it was made; "sent", "already sent", "held: why" or "failed: why".

    A refusal no retry changes (the bot not in the channel, a revoked token) is logged once, with
    what to do about it, and the call is not tried again for `hold`; any other failure gives it up
    for the next attempt.
    """
    async with sessions.begin() as session:
        if not await ledger.claim(session, key=key, job=job, owner=owner, now=now):
            until = await ledger.held_until(session, key)
            return _held(until) if until else "already sent"
    metrics.post_state(job, "due")
    try:
        channel, ts = await call()
    except SlackApiError as error:
        reason = failure_reason(error)
        hint = refusal_hint(reason, target)
        if hint is None:
            metrics.post_state(job, "failed")
            return await _give_up(sessions, key, target, reason)
        metrics.post_state(job, "held")
        return await _hold(sessions, key, target, reason, hint, until=now + hold)
    except CONNECTION_ERRORS as error:
        metrics.post_state(job, "failed")
        return await _give_up(sessions, key, target, str(error) or type(error).__name__)
    async with sessions.begin() as session:
        await ledger.mark_sent(session, key=key, channel=channel, ts=ts, now=now)
    metrics.post_state(job, "sent")
    return "sent"


def _held(until: datetime) -> str:
    return f"held: Slack refused it; next try at {until:%H:%M} UTC"


async def ledger_says(session: AsyncSession, key: str, *, now: datetime) -> str | None:
    """What `call_once` would answer for `key` now without calling Slack; None when it would call."""
    if await ledger.sent_at(session, key) is not None:
        return "already sent"
    until = await ledger.held_until(session, key)
    return _held(until) if until and until > now else None


async def _give_up(sessions: async_sessionmaker[AsyncSession], key: str, target: str, reason: str) -> str:
    async with sessions.begin() as session:
        await ledger.release(session, key=key)
    log.error("%s to %s failed, will be tried again: %s", key, target, reason)
    return f"failed: {reason}"


async def _hold(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    target: str,
    reason: str,
    hint: str,
    *,
    until: datetime,
) -> str:
    async with sessions.begin() as session:
        again = await ledger.hold(session, key=key, until=until)
    if again:
        log.info("%s to %s still refused: %s", key, target, reason)
    else:
        log.error("%s to %s refused by Slack: %s; %s", key, target, reason, hint)
    return f"failed: {reason}"


async def send_once(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    *,
    key: str,
    job: str,
    channel: str,
    blocks: list[dict],  # type: ignore[type-arg]
    text: str,
    owner: str,
    now: datetime,
    thread_of: str | None = None,
    hold: timedelta = timedelta(0),
) -> str:
    """Post unless the ledger says it was posted: the outcomes of `call_once`, or "waiting: why".

    With `thread_of` (another post's ledger key) the post is a reply in that post's thread. The post
    carries its key in its metadata, by which a claim left by a process that died is adopted.
    """
    thread_ts = None
    if thread_of is not None:
        async with sessions() as session:
            parent = await ledger.posted(session, thread_of)
        if parent is None:
            return f"waiting: {thread_of} is not posted yet"
        channel, thread_ts = parent

    # A claim its sender abandoned may have reached Slack: found there, it is not sent again.
    adopted = await adopt_abandoned(sessions, client, key=key, channel=channel, thread_ts=thread_ts, now=now)
    if adopted is not None:
        return adopted

    async def post() -> tuple[str, str]:
        answer = await client.chat_postMessage(
            channel=channel,
            blocks=blocks,
            text=notification_text(text),
            thread_ts=thread_ts,
            metadata=post_metadata(key),
        )
        return answer["channel"], answer["ts"]

    return await call_once(sessions, post, key=key, job=job, target=channel, owner=owner, now=now, hold=hold)
