"""The "Show the full runbook" and candidate buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.context import AppContext
from bot.features.oncall.pipelines import pipeline_card
from bot.features.oncall.views import NoTeam
from bot.messages.ids import ActionId, matching
from bot.messages.oncall import usage_blocks
from bot.messages.pipeline import full_runbook_messages, owners_blocks, pipeline_blocks
from bot.slack.failures import after_ack


async def show_runbook(ctx: AppContext, key: str) -> list[list[dict[str, Any]]]:
    """The messages that show one pipeline's card and its whole runbook."""
    async with ctx.sessions() as session:
        try:
            view = await ctx.views.load(session)
        except NoTeam as error:
            return [usage_blocks(str(error))]
        pipeline = next((p for p in view.file.pipelines if p.key == key), None)
        if pipeline is None:
            return [usage_blocks("That pipeline is no longer in the team file.")]
        card = await pipeline_card(
            session, view=view, pipeline=pipeline, at=ctx.clock(), runbooks_dir=ctx.runbooks_dir
        )
    if card.runbook is None:
        return [pipeline_blocks(card, view.people, with_runbook=True)]
    return [owners_blocks(card, view.people), *full_runbook_messages(card.runbook)]


async def _show(ctx: AppContext, respond: AsyncRespond, action: dict[str, Any]) -> None:
    for blocks in await show_runbook(ctx, str(action.get("value", ""))[:64]):
        await respond(blocks=blocks, text="Runbook", response_type="ephemeral", replace_original=False)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(matching(ActionId.SHOW_RUNBOOK))
    async def runbook_button(
        ack: AsyncAck, respond: AsyncRespond, action: dict[str, Any], body: dict[str, Any]
    ) -> None:
        await ack()
        await after_ack(body, respond, _show(ctx, respond, action))
