"""Answering a slash command inside Slack's three seconds.

The answer goes in the acknowledgement itself (no extra call to Slack). If the work is slow, the
acknowledgement says so at once and the answer follows through the command's response_url.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.messages.common import NOTIFICATION_LIMIT, escape, section, truncate
from bot.slack.failures import apology

ACK_BUDGET_SECONDS = 2.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    blocks: list[dict[str, Any]]
    in_channel: bool = False

    @property
    def text(self) -> str:
        """Notification text: the first block's words, for clients that cannot show blocks."""
        first = (self.blocks[0] if self.blocks else {}).get("text") or {}
        words = str(first.get("text", "oncall-bot"))
        return truncate(escape(words) if first.get("type") == "plain_text" else words, NOTIFICATION_LIMIT)

    def payload(self) -> dict[str, Any]:
        kind = "in_channel" if self.in_channel else "ephemeral"
        return {"response_type": kind, "blocks": self.blocks, "text": self.text}


async def _safely(work: Callable[[], Awaitable[Reply]], command: str) -> Reply:
    """The reply, or an apology: a failure is logged, never shown as a stack trace or a 500."""
    try:
        return await work()
    except Exception as error:
        return Reply([section(apology(f"{command} failed", error, kind=command))])


async def answer_in_ack(
    ack: Callable[..., Awaitable[Any]],
    work: Callable[[], Awaitable[Reply]],
    respond: Callable[..., Awaitable[Any]],
    *,
    command: str,
) -> None:
    task = asyncio.ensure_future(_safely(work, command))
    try:
        reply = await asyncio.wait_for(asyncio.shield(task), ACK_BUDGET_SECONDS)
    except TimeoutError:
        await ack(response_type="ephemeral", text=":hourglass_flowing_sand: Working on it…")
        reply = await task
        await respond(replace_original=False, **reply.payload())
        return
    await ack(**reply.payload())
