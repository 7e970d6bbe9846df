"""The Bolt app, built by one factory from the settings; listeners live in modules by kind."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.messages.common import section
from bot.slack import actions, commands, events, shortcuts, views
from bot.slack.reply import SORRY

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is in the workspace; read once at start-up (auth.test), never per request."""

    team_id: str | None
    bot_user_id: str
    bot_id: str | None = None


LOCAL_IDENTITY = BotIdentity(team_id="T0LOCAL", bot_user_id="U0ONCALLBOT", bot_id="B0ONCALLBOT")


def create_app(
    ctx: AppContext,
    *,
    client: AsyncWebClient,
    identity: BotIdentity,
    verify: bool = True,
) -> AsyncApp:
    """The app with every listener; `verify=False` only for the local shell (no signatures, no Slack)."""
    token = ctx.settings.require("slack_bot_token") if verify else "xoxb-local-shell"
    needs_signature = verify and not ctx.settings.socket_mode
    signing_secret = ctx.settings.require("slack_signing_secret") if needs_signature else None

    async def authorize(**_: Any) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=None,
            team_id=identity.team_id,
            bot_token=token,
            bot_id=identity.bot_id,
            bot_user_id=identity.bot_user_id,
        )

    app = AsyncApp(
        client=client,
        authorize=authorize,
        signing_secret=signing_secret,
        request_verification_enabled=needs_signature,
        ssl_check_enabled=needs_signature,
        url_verification_enabled=True,
        name="oncall-bot",
        # The local shell has no Slack waiting on an acknowledgement: let every listener finish first.
        process_before_response=not verify,
    )
    app.error(_on_error)
    for kind in (commands, actions, views, shortcuts, events):
        kind.register(app, ctx)
    return app


async def _on_error(
    error: Exception,
    body: dict[str, Any],
    respond: Any,
    response: BoltResponse | None,
    logger: logging.Logger,
) -> BoltResponse | None:
    """Log the failure with what was asked, and apologise where the user can see it.

    `response` is None once the request was acknowledged; until then the answer to Slack is ours to set,
    and anything but a 200 makes Slack show an error of its own.
    """
    first_action: dict[str, Any] = next(iter(body.get("actions") or []), {})
    what = body.get("command") or first_action.get("action_id") or body.get("type")
    logger.exception("listener failed for %s", what, exc_info=error)
    apology = {"response_type": "ephemeral", "blocks": [section(SORRY)], "text": SORRY}
    if response is not None and body.get("command"):
        return BoltResponse(status=200, body=apology)
    if respond is None or not body.get("response_url"):
        return None
    try:
        await respond(replace_original=False, **apology)
    except Exception:  # the apology itself failing must not hide the first error
        logger.exception("could not tell the user about the failure")
        return None
    return BoltResponse(status=200) if response is not None else None
