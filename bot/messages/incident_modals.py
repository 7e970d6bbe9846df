"""The incident modals: declaring one (blank, or pre-filled from a message) and resolving one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.core.incidents.model import DEFAULT_SEVERITY, LINK_LIMIT, RESOLUTION_LIMIT, SEVERITIES, SUMMARY_LIMIT
from bot.core.team import Pipeline
from bot.messages.common import plain
from bot.messages.ids import ActionId

View = dict[str, Any]
SEVERITY_WORDS = {"sev1": "sev1 — down or wrong numbers", "sev2": "sev2 — degraded", "sev3": "sev3 — minor"}
OPTION_LIMIT = 75
SELECT_LIMIT = 100


class DeclareMeta(BaseModel):
    """What the declaration modal carries to its submission."""

    model_config = ConfigDict(extra="forbid")
    origin_channel: str | None = None  # where the declarer is told the thread's link
    key: str | None = None  # the message it was opened from: one open incident per message


class ResolveMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    incident: int


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, OPTION_LIMIT), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }


def declare_modal(
    pipelines: Sequence[Pipeline], meta: DeclareMeta, *, summary: str = "", link: str | None = None
) -> View:
    """The form `/incident` alone and the message shortcut open."""
    options = [_option(p.name, p.key) for p in pipelines[:SELECT_LIMIT]]
    severity = {
        "type": "static_select",
        "options": [_option(SEVERITY_WORDS[s], s) for s in SEVERITIES],
        "initial_option": _option(SEVERITY_WORDS[DEFAULT_SEVERITY], DEFAULT_SEVERITY),
    }
    text: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": SUMMARY_LIMIT}
    if summary.strip():
        text["initial_value"] = summary.strip()[:SUMMARY_LIMIT]
    url: dict[str, Any] = {"type": "url_text_input"}
    if link:
        url["initial_value"] = link[:LINK_LIMIT]
    return {
        "type": "modal",
        "callback_id": ActionId.DECLARE_INCIDENT_VIEW.value,
        "title": plain("Declare an incident", 24),
        "submit": plain("Declare", 24),
        "close": plain("Cancel", 24),
        "private_metadata": meta.model_dump_json(),
        "blocks": [
            _input("pipeline", "Pipeline", {"type": "static_select", "options": options}),
            _input("severity", "Severity", severity),
            _input("summary", "What is wrong?", text),
            _input("link", "Link (a message, a dashboard, a job run)", url, optional=True),
        ],
    }


def resolve_modal(incident_id: int, title: str) -> View:
    """Asks for the one-line resolution before the incident is closed."""
    line = {"type": "plain_text_input", "max_length": RESOLUTION_LIMIT, "multiline": False}
    return {
        "type": "modal",
        "callback_id": ActionId.RESOLVE_INCIDENT_VIEW.value,
        "title": plain(f"Resolve #{incident_id}", 24),
        "submit": plain("Resolve", 24),
        "close": plain("Cancel", 24),
        "private_metadata": ResolveMeta(incident=incident_id).model_dump_json(),
        "blocks": [
            {"type": "section", "text": {"type": "plain_text", "text": title[:2000]}},
            _input("resolution", "Resolution, in one line", line),
        ],
    }


def submitted(view: dict[str, Any], block_id: str) -> str | None:
    """The value typed or chosen in one input of a submitted modal."""
    value = view.get("state", {}).get("values", {}).get(block_id, {}).get(block_id, {})
    chosen = value.get("selected_option") or {}
    found = chosen.get("value") if chosen else value.get("value")
    return found.strip() if isinstance(found, str) and found.strip() else None
