"""A scheduled post as plain values, and the shape of what finds the posts due."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.handoff.user_groups import GroupUpdate


@dataclass(frozen=True)
class Post:
    key: str  # the ledger key: each is sent once
    job: str
    rotation: str
    channel: str  # a channel, or a user id for a direct message
    blocks: list[dict[str, Any]]
    text: str
    due: datetime  # when it is meant to go out
    thread_of: str | None = None  # the ledger key of the post this one replies to
    last_due: datetime | None = None  # offered again each day until then (a checklist): missed only after
    user_group: GroupUpdate | None = None  # made with the post, on its own ledger entry


class Builder(Protocol):
    """The posts of one part of the rituals whose time falls in (since, until]."""

    def __call__(
        self, session: AsyncSession, *, since: datetime, until: datetime
    ) -> Awaitable[list[Post]]: ...
