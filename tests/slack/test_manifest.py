"""The manifest declares exactly what the app listens for."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import yaml
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.slack.app import LOCAL_IDENTITY, create_app

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


async def test_every_declared_command_is_answered(ctx: AppContext) -> None:
    app = create_app(ctx, client=make_client(ctx.settings), identity=LOCAL_IDENTITY, verify=False)
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["should_escape"] is True and command["usage_hint"] and command["description"]
        body = urlencode(
            {"command": command["command"], "text": "help", "user_id": "U0ALICE01", "team_id": "T0"}
        )
        request = AsyncBoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})
        response = await app.async_dispatch(request)
        assert response.status == 200, command["command"]


def test_events_interactivity_and_socket_mode() -> None:
    settings = MANIFEST["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"]
    assert MANIFEST["oauth_config"]["scopes"]["bot"] == [
        "commands",
        "chat:write",
        "chat:write.public",
        "usergroups:write",
        "users:read",
        "users:read.email",
    ]


def test_every_declared_shortcut_has_a_listener() -> None:
    from bot.messages.ids import ActionId

    shortcuts = MANIFEST["features"]["shortcuts"]
    assert [(s["type"], s["callback_id"]) for s in shortcuts] == [
        ("message", ActionId.INCIDENT_FROM_MESSAGE.value)
    ]
    assert all(s["name"] and s["description"] for s in shortcuts)
