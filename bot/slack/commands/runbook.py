"""`/runbook [name]`: a pipeline's runbook with its owners and who is on call."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.context import AppContext
from bot.features.oncall.pipelines import lookup
from bot.features.oncall.views import NoTeam
from bot.messages.common import escape
from bot.messages.pipeline import candidates_blocks, help_blocks, list_blocks, pipeline_blocks, usage_blocks
from bot.slack.reply import Reply, answer_in_ack

MAX_QUERY = 200


async def runbook_reply(ctx: AppContext, text: str) -> Reply:
    """The answer to `/runbook <text>`; also used when a candidate button is pressed."""
    query = " ".join(text.split())[:MAX_QUERY]
    if query.lower() == "help":
        return Reply(help_blocks())
    try:
        async with ctx.sessions() as session:
            view = await ctx.views.load(session)
            if not query:
                return Reply(list_blocks(view.file.pipelines, view.people))
            found = await lookup(
                session, view=view, query=query, at=ctx.clock(), runbooks_dir=ctx.runbooks_dir
            )
    except NoTeam as error:
        return Reply(usage_blocks(str(error)))
    if found.card:
        return Reply(pipeline_blocks(found.card, view.people, with_runbook=True))
    if found.candidates:
        return Reply(candidates_blocks(query, found.candidates))
    keys = ", ".join(f"`{p.key}`" for p in view.file.pipelines)
    return Reply(usage_blocks(f"No pipeline is called `{escape(query[:60])}`. Pipelines: {keys}."))


async def handle(ack: Any, respond: Any, command: dict[str, Any], ctx: AppContext) -> None:
    async def work() -> Reply:
        return await runbook_reply(ctx, command.get("text") or "")

    await answer_in_ack(ack, work, respond, command="/runbook")


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.command("/runbook")
    async def runbook_command(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await handle(ack, respond, command, ctx)
