"""Modal submissions."""

from slack_bolt.async_app import AsyncApp

from bot.context import AppContext
from bot.slack.views import incident_modal, swap_modal


def register(app: AsyncApp, ctx: AppContext) -> None:
    incident_modal.register(app, ctx)
    swap_modal.register(app, ctx)
