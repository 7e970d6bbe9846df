"""Global and message shortcuts."""

from slack_bolt.async_app import AsyncApp

from bot.context import AppContext
from bot.slack.shortcuts import incident


def register(app: AsyncApp, ctx: AppContext) -> None:
    incident.register(app, ctx)
