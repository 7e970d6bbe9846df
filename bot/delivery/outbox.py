"""Making a Slack call once through the post ledger: claimed under its key first, marked sent with
where its message went, given up for the next attempt when it fails, held when Slack refuses it for
a reason retrying cannot fix."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.slack_api import CONNECTION_ERRORS, failure_reason, refusal_hint
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
    async with sessions() as session:
        if not await ledger.claim(session, key=key, job=job, owner=owner, now=now):
            until = await ledger.held_until(session, key)
            return f"held: Slack refused it; next try at {until:%H:%M} UTC" if until else "already sent"
    try:
        channel, ts = await call()
    except SlackApiError as error:
        reason = failure_reason(error)
        hint = refusal_hint(reason, target)
        if hint is None:
            return await _give_up(sessions, key, target, reason)
        return await _hold(sessions, key, target, reason, hint, until=now + hold)
    except CONNECTION_ERRORS as error:
        return await _give_up(sessions, key, target, str(error) or type(error).__name__)
    async with sessions() as session:
        await ledger.mark_sent(session, key=key, channel=channel, ts=ts, now=now)
    return "sent"


async def _give_up(sessions: async_sessionmaker[AsyncSession], key: str, target: str, reason: str) -> str:
    async with sessions() as session:
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
    async with sessions() as session:
        again = await ledger.hold(session, key=key, until=until)
    if again:
        log.info("%s to %s still refused: %s", key, target, reason)
    else:
        log.error("%s to %s refused by Slack: %s; %s", key, target, reason, hint)
    return f"failed: {reason}"
