"""A pipeline's `heartbeat:` in the team file survives export and import unchanged."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.team import Heartbeat, TeamFile
from bot.features.teamfile.dump import dump_team_file
from bot.features.teamfile.loader import load_team_file

WEEK6 = load_team_file(Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml")


def test_a_heartbeat_is_exported_as_written_and_reads_back_the_same() -> None:
    beat = Heartbeat.model_validate({"every": "daily", "by": "10:30", "business_days": True, "grace": "2h"})
    pipelines = [
        p.model_copy(update={"heartbeat": beat}) if p.key == "growth" else p for p in WEEK6.pipelines
    ]
    team = WEEK6.model_copy(update={"pipelines": pipelines})
    text = dump_team_file(team)
    assert 'by: "10:30"' in text and "grace: 120m" in text and "business_days: true" in text
    assert TeamFile.model_validate(yaml.safe_load(text)) == team
    assert "heartbeat" not in dump_team_file(WEEK6)  # none unless given
