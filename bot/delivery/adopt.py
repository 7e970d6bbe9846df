"""Adopting a post whose sender died half-way: Slack took the message, the ledger never heard.

Every outbox post carries its ledger key in Slack message metadata. Before a claim whose lease ran
out is sent again, Slack is asked for a message with that key since the claim began (the channel's
history, the DM's, or the thread's replies); when there is one it is recorded as sent instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.delivery.slack_api import CONNECTION_ERRORS, failure_reason
from bot.store import ledger

log = logging.getLogger(__name__)
EVENT_TYPE = "oncall_post"
CLOCK_SKEW = timedelta(minutes=2)  # between this host's clock and Slack's message timestamps
TRANSIENT = ("ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout")
PAGE = 200
ID = re.compile(r"[CGDUW][A-Z0-9]{2,}")  # a conversation's or a person's id, not a channel's name
MAX_PAGES = 25  # 5,000 messages in a channel since the claim: more than any channel gets in a lease
# Logged (with the key, the channel and Slack's reason) when Slack cannot be asked, and counted in
# the metric oncall_outbox_unverified_resends_total.
UNVERIFIED = "cannot look in Slack for a copy of %s in %s (%s): sending it again, it may show twice"


def passing(error: SlackApiError) -> bool:
    """Slack (or what stands in front of it) failed for now: asking again later may well work.

    Any other refusal (a scope the app was installed without, a DM the bot cannot read) will not
    change by waiting, and waiting would lose the post."""
    status = error.response.status_code
    return status == 429 or status >= 500 or failure_reason(error) in TRANSIENT


def post_metadata(key: str) -> dict[str, Any]:
    """The metadata an outbox post carries, so that a copy can be found by its ledger key."""
    return {"event_type": EVENT_TYPE, "event_payload": {"ledger_key": key}}


def carries(message: Mapping[str, Any], key: str) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == EVENT_TYPE and payload.get("ledger_key") == key


class UnknownChannel(LookupError):
    """No conversation the bot can see has the name a post was sent to."""


async def conversation(client: AsyncWebClient, channel: str) -> str:
    """The conversation id to read: a post to a person's id went to the bot's DM with them; one to
    a channel's name (as the team file may give it) went to the channel of that name."""
    if ID.fullmatch(channel) is None:
        return await channel_named(client, channel.removeprefix("#"))
    if not channel.startswith(("U", "W")):
        return channel
    answer = await client.conversations_open(users=channel)
    return str((answer.get("channel") or {}).get("id") or channel)


async def channel_named(client: AsyncWebClient, name: str) -> str:
    cursor = None
    for _ in range(MAX_PAGES):
        answer = await client.conversations_list(
            types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
        )
        found = next((c for c in answer.get("channels") or [] if c.get("name") == name), None)
        if found is not None:
            return str(found["id"])
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    raise UnknownChannel(f"no channel named #{name} that the bot can see")


async def find_copy(
    client: AsyncWebClient, *, key: str, channel: str, thread_ts: str | None, since: datetime
) -> tuple[str, str] | None:
    """Where Slack has a message carrying `key` posted since `since` (channel, ts); None if nowhere."""
    where = await conversation(client, channel)
    oldest = f"{(since - CLOCK_SKEW).timestamp():.6f}"
    read = partial(client.conversations_history, channel=where)
    if thread_ts is not None:
        read = partial(client.conversations_replies, channel=where, ts=thread_ts)
    cursor = None
    for _ in range(MAX_PAGES):
        answer = await read(oldest=oldest, include_all_metadata=True, limit=PAGE, cursor=cursor)
        found = next((m for m in answer.get("messages") or [] if carries(m, key)), None)
        if found is not None:
            return where, str(found["ts"])
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    log.warning("%s: more messages in %s since its claim than the bot reads; assuming none", key, where)
    return None


async def adopt_abandoned(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    *,
    key: str,
    channel: str,
    thread_ts: str | None,
    now: datetime,
) -> str | None:
    """ "already sent" when an abandoned claim's post is in Slack (now recorded as sent), "failed: why"
    when Slack could not be asked for now; None when the post is to be sent."""
    async with sessions() as session:
        since = await ledger.abandoned_since(session, key, now)
    if since is None:
        return None
    try:
        copy = await find_copy(client, key=key, channel=channel, thread_ts=thread_ts, since=since)
    except SlackApiError as error:
        reason = failure_reason(error)
        if passing(error):
            return _not_now(key, reason)
        log.warning(UNVERIFIED, key, channel, reason)
        metrics.UNVERIFIED_RESENDS.inc()
        return None
    except UnknownChannel as error:
        log.warning(UNVERIFIED, key, channel, error)
        metrics.UNVERIFIED_RESENDS.inc()
        return None
    except CONNECTION_ERRORS as error:
        return _not_now(key, str(error) or type(error).__name__)
    if copy is None:
        return None
    async with sessions.begin() as session:
        await ledger.mark_sent(session, key=key, channel=copy[0], ts=copy[1], now=now)
    log.info("%s was in Slack already (its sender stopped before recording it): adopted", key)
    return "already sent"


def _not_now(key: str, reason: str) -> str:
    # The claim is left as it was, so the next attempt looks over the same window.
    log.error("%s: cannot look in Slack for a copy before sending it again, will try again: %s", key, reason)
    return f"failed: {reason}"
