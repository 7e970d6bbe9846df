"""Slash commands."""

from slack_bolt.async_app import AsyncApp

from bot.context import AppContext
from bot.slack.commands import incident, oncall, runbook, swap


def register(app: AsyncApp, ctx: AppContext) -> None:
    for module in (oncall, runbook, incident, swap):
        module.register(app, ctx)
