"""The Bolt app, built by one factory from the settings; listeners live in modules by kind."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import logs, metrics
from bot.context import AppContext
from bot.slack import actions, commands, events, shortcuts, views
from bot.slack.failures import apology, apology_payload, form_apology, tell

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is in the workspace; read once at start-up (auth.test), never per request."""

    team_id: str | None
    bot_user_id: str
    bot_id: str | None = None


LOCAL_IDENTITY = BotIdentity(team_id="T0LOCAL", bot_user_id="U0ONCALLBOT", bot_id="B0ONCALLBOT")


FAILED = "listener_failed"  # set in a request's context when its listener failed


class MeteredApp(AsyncApp):
    """Counts every request it answers, by kind and outcome, for /metrics (HTTP, Socket Mode, shell)."""

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        body = req.body if isinstance(req.body, dict) else {}
        kind = metrics.request_kind(body)
        with logs.bound(request=kind, request_id=secrets.token_hex(4)):  # its listeners' lines too
            response = await super().async_dispatch(req)
        metrics.request_answered(body, status=response.status, failed=bool(req.context.get(FAILED)))
        return response


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

    app = MeteredApp(
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
    request: AsyncBoltRequest,
) -> BoltResponse | None:
    """Log the failure with what was asked, and apologise where the user can see it.

    `response` is None once the request was acknowledged; until then the answer to Slack is ours to set,
    and anything but a 200 makes Slack show an error of its own.
    """
    first_action: dict[str, Any] = next(iter(body.get("actions") or []), {})
    what = body.get("command") or first_action.get("action_id") or body.get("type")
    request.context[FAILED] = True
    text = apology(f"listener failed for {what}", error, kind=metrics.request_kind(body))
    if response is not None and body.get("command"):
        return BoltResponse(status=200, body=apology_payload(text))
    submitted = body.get("type") == "view_submission"
    if response is not None and submitted and (form := form_apology(body["view"], text)):
        return BoltResponse(status=200, body=form)  # else Slack shows its own "trouble connecting"
    if respond is None or not body.get("response_url") or not await tell(respond, str(what), text):
        return None
    return BoltResponse(status=200) if response is not None else None
