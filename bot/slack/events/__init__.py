"""Events API subscriptions."""

from slack_bolt.async_app import AsyncApp

from bot.context import AppContext
from bot.slack.events import home


def register(app: AsyncApp, ctx: AppContext) -> None:
    home.register(app, ctx)
