"""Plain values shared by the incident tests: the Week 6 team and incidents in any state."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.incidents.model import Declaration, Incident, Status
from bot.features.teamfile.loader import load_team_file

NY = ZoneInfo("America/New_York")
DECLARED = datetime(2026, 12, 8, 12, tzinfo=NY)
WEEK6 = load_team_file(Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml")
PEOPLE = {p.id: p for p in WEEK6.people}
PIPELINES = {p.key: p for p in WEEK6.pipelines}
# Carol declares Kafka down on the engagement pipeline, in the rotation's channel.
KAFKA_DOWN = Declaration(
    pipeline="engagement", severity="sev1", summary="Kafka down", declared_by="carol", channel="#data-oncall"
)


def incident(**changes: object) -> Incident:
    base = Incident(
        id=7,
        pipeline="growth",
        severity="sev1",
        summary="late data from Kafka",
        link=None,
        status=Status.OPEN,
        declared_by="carol",
        declared_at=DECLARED,
        channel="C0INCIDENT",
        ts="1700000000.000001",
        acked_by=None,
        acked_at=None,
        level=0,
        level_at=DECLARED,
        resolved_by=None,
        resolved_at=None,
        resolution=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _text_objects(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block["type"] == "context":
        return [t for t in block["elements"] if "text" in t]
    inside = [block.get("text"), *block.get("fields", [])]
    return [t for t in inside if isinstance(t, dict) and "text" in t]


def lines(blocks: list[dict[str, Any]]) -> list[str]:
    """What each block shows, its texts joined by spaces, without the invisible joiners."""
    return [" ".join(t["text"] for t in _text_objects(b)).replace("\u2060", "") for b in blocks]


def plain_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The texts Slack shows exactly as written: never formatted, linked or parsed for mentions."""
    found = [t for b in blocks for t in _text_objects(b) if t["type"] == "plain_text"]
    return [t["text"].replace("\u2060", "") for t in found]


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [t["text"] for b in blocks for t in _text_objects(b) if t["type"] == "mrkdwn"]
