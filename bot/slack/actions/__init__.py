"""Buttons and other interactive elements."""

from slack_bolt.async_app import AsyncApp

from bot.slack.actions import checklist, incidents, runbook, swaps, volunteer
from bot.slack.context import AppContext


def register(app: AsyncApp, ctx: AppContext) -> None:
    for module in (runbook, checklist, volunteer, incidents, swaps):
        module.register(app, ctx)
