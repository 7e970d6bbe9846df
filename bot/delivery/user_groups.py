"""Pointing a rotation's Slack user group at who is on call, once per change through the ledger."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.outbox import REFUSED_RETRY, call_once
from bot.features.handoff.user_groups import JOB, GroupUpdate

log = logging.getLogger(__name__)


async def follow_once(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    update: GroupUpdate,
    *,
    owner: str,
    now: datetime,
) -> str:
    """Point the user group at the pair unless the ledger says it was; the outcomes of `call_once`."""
    if not update.users:  # Slack refuses an empty group; the missing Slack ids are warned of elsewhere
        log.debug("%s: nobody on call has a Slack id, the user group is left as it is", update.key)
        return "nobody to point at"

    async def point() -> tuple[str, str]:
        await client.usergroups_users_update(usergroup=update.group, users=",".join(update.users))
        return update.group, ""

    outcome = await call_once(
        sessions,
        point,
        key=update.key,
        job=JOB,
        target=update.group,
        owner=owner,
        now=now,
        hold=REFUSED_RETRY,
    )
    log.log(logging.INFO if outcome == "sent" else logging.DEBUG, "%s: %s", update.key, outcome)
    return outcome
