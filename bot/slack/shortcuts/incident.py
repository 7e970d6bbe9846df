"""The message shortcut "Open an incident": the form, pre-filled with its text and link."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.messages.ids import ActionId
from bot.messages.incident_modals import DeclareMeta, declare_modal
from bot.slack.commands.incident import typed_text
from bot.slack.failures import after_ack

log = logging.getLogger(__name__)


async def _message_link(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    try:
        answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as error:
        log.warning("no permalink for the message %s in %s: %s", ts, channel, error)
        return None
    link = answer.get("permalink")
    return link if isinstance(link, str) else None


async def open_from_message(ctx: AppContext, body: dict[str, Any], client: AsyncWebClient) -> None:
    """Open the declaration form with the message's text and link; one incident per message."""
    channel = (body.get("channel") or {}).get("id", "")
    message = body.get("message") or {}
    ts = str(message.get("ts", ""))
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
    meta = DeclareMeta(origin_channel=channel or None, key=f"message:{channel}:{ts}" if ts else None)
    form = declare_modal(
        view.file.pipelines,
        meta,
        summary=typed_text(view, str(message.get("text", ""))),
        link=await _message_link(client, channel, ts) if ts else None,
    )
    await client.views_open(trigger_id=body["trigger_id"], view=form)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.shortcut(ActionId.INCIDENT_FROM_MESSAGE.value)
    async def incident_from_message(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await after_ack(body, respond, open_from_message(ctx, body, client))
