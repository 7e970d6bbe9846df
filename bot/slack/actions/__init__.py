"""Buttons and other interactive elements."""

from slack_bolt.async_app import AsyncApp

from bot.slack.actions import runbook
from bot.slack.context import AppContext


def register(app: AsyncApp, ctx: AppContext) -> None:
    runbook.register(app, ctx)
