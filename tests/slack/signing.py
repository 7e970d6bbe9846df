"""Requests signed and encoded the way Slack sends them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

SECRET = "test-signing-secret-0123456789abcdef"


def signed_headers(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(
    command: str, text: str, *, user_id: str, response_url: str, channel_id: str = "C0ONCALL"
) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": "T0TEST",
            "team_domain": "example",
            "channel_id": channel_id,
            "channel_name": "data-oncall",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0TEST",
            "response_url": response_url,
            "trigger_id": "1337.42.abcdef",
        }
    )


def action_body(action_id: str, value: str, *, user_id: str, response_url: str) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0TEST", "domain": "example"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.abcdef",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000001",
            "channel_id": "C0ONCALL",
            "is_ephemeral": True,
        },
        "channel": {"id": "C0ONCALL", "name": "data-oncall"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1700000001.0",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any]) -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": "T0TEST",
            "api_app_id": "A0TEST",
            "event": event,
            "type": "event_callback",
            "event_id": "Ev0TEST",
            "event_time": int(time.time()),
        }
    )
