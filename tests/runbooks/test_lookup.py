"""Finding the Week 6 pipelines by the names people type, typos included."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.runbooks.lookup import Named, find
from bot.features.teamfile.loader import load_team_file

ROOT = Path(__file__).resolve().parents[2]
TEAM = load_team_file(ROOT / "examples" / "week6-team.yaml")
ENTRIES = [Named(p.key, p.name, tuple(p.aliases)) for p in TEAM.pipelines]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("growth", "growth"),
        ("Growth Pipeline", "growth"),
        ("GROWTH", "growth"),
        ("grwth", "growth"),
        ("aggregate growth", "growth"),
        ("daily growth", "growth-daily"),
        ("growth-daily", "growth-daily"),
        ("profit", "profit"),
        ("proft", "profit"),
        ("investor report", "aggregated"),
        ("Aggregated Data Pipeline", "aggregated"),
        ("  engagement  ", "engagement"),
    ],
)
def test_finds_the_pipeline(query: str, key: str) -> None:
    result = find(query, ENTRIES)
    assert result.match is not None and result.match.key == key


def test_ambiguous_name_lists_candidates() -> None:
    result = find("eng", ENTRIES)
    assert result.match is None
    assert {c.key for c in result.candidates} == {"engagement", "engagement-daily"}


@pytest.mark.parametrize(
    "query",
    ["xyzzy", "", "   ", "../../etc/passwd", "x" * 10_000, "growth " * 1500, "<!channel>", "pipeline"],
)
def test_nothing_close_is_no_match(query: str) -> None:
    result = find(query, ENTRIES)
    assert result.match is None and result.candidates == []
