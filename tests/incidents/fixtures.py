"""Plain values shared by the incident tests: the Week 6 team and incidents in any state."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.incidents.model import Incident, Status
from bot.teamfile.loader import load_team_file

NY = ZoneInfo("America/New_York")
DECLARED = datetime(2026, 12, 8, 12, tzinfo=NY)
WEEK6 = load_team_file(Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml")
PEOPLE = {p.id: p for p in WEEK6.people}
PIPELINES = {p.key: p for p in WEEK6.pipelines}


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
