"""Slash commands."""

from slack_bolt.async_app import AsyncApp

from bot.slack.commands import incident, oncall, runbook, swap
from bot.slack.context import AppContext


def register(app: AsyncApp, ctx: AppContext) -> None:
    for module in (oncall, runbook, incident, swap):
        module.register(app, ctx)
