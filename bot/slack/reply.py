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

from bot.messages.common import section

ACK_BUDGET_SECONDS = 2.0
SORRY = ":warning: Something went wrong on our side; it has been logged. Please try again in a minute."
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    blocks: list[dict[str, Any]]
    in_channel: bool = False

    @property
    def text(self) -> str:
        """Notification text: the first block's words, for clients that cannot show blocks."""
        first = self.blocks[0] if self.blocks else {}
        return str((first.get("text") or {}).get("text", "oncall-bot"))[:300]

    def payload(self) -> dict[str, Any]:
        kind = "in_channel" if self.in_channel else "ephemeral"
        return {"response_type": kind, "blocks": self.blocks, "text": self.text}


async def _safely(work: Callable[[], Awaitable[Reply]]) -> Reply:
    """The reply, or an apology: a failure is logged, never shown as a stack trace or a 500."""
    try:
        return await work()
    except Exception:
        log.exception("a command failed")
        return Reply([section(SORRY)])


async def answer_in_ack(
    ack: Callable[..., Awaitable[Any]],
    work: Callable[[], Awaitable[Reply]],
    respond: Callable[..., Awaitable[Any]],
) -> None:
    task = asyncio.ensure_future(_safely(work))
    try:
        reply = await asyncio.wait_for(asyncio.shield(task), ACK_BUDGET_SECONDS)
    except TimeoutError:
        await ack(response_type="ephemeral", text=":hourglass_flowing_sand: Working on it…")
        reply = await task
        await respond(replace_original=False, **reply.payload())
        return
    await ack(**reply.payload())
