"""Buttons and other interactive elements."""

from slack_bolt.async_app import AsyncApp

from bot.context import AppContext
from bot.slack.actions import checklist, incidents, runbook, swaps, volunteer


def register(app: AsyncApp, ctx: AppContext) -> None:
    for module in (runbook, checklist, volunteer, incidents, swaps):
        module.register(app, ctx)
