"""The command line imports what a command needs when it needs it: reading the schedule does not
load Slack's libraries, Alembic, the scheduled jobs, nor what only other settings or commands use;
building the parser loads no store and no service (see benchmarks/cli.py for the timings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_READING = (
    "slack_bolt",
    "slack_sdk",
    "alembic",
    "apscheduler",
    "prometheus_client",
    "bot.delivery.scheduled",
    "limits",  # for a set ALERT_RATE_LIMIT and the alert intake
    "pythonjsonlogger",  # for LOG_FORMAT=json
    "yaml",  # for team files and runbooks, not the stored team
    "sqlalchemy.dialects.postgresql",  # for a PostgreSQL store
)
NOT_FOR_PARSING = ("sqlalchemy", "holidays", "bot.store", "bot.features", "bot.core.schedule")
PROBE = """
import json, sys
from bot.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
PARSER_PROBE = """
import json, sys
from bot.cli.main import build_parser
build_parser()
print(json.dumps(sorted(sys.modules)))
"""


def loaded(modules: list[str], unwanted: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(f"{name}.") for name in unwanted)]


def probe(code: str, *argv: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return done.stdout


@pytest.mark.parametrize("command", [["who"], ["schedule", "--weeks", "1"]])
def test_reading_the_schedule_loads_only_what_it_needs(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    url = f"sqlite+aiosqlite:///{tmp_path / 'oncall.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["import", "examples/week6-team.yaml"]) == 0
    capsys.readouterr()
    env = {**os.environ, "DATABASE_URL": url, "LOG_FORMAT": "text"}
    env.pop("ALERT_RATE_LIMIT", None)
    out = probe(PROBE, *command, env=env)
    answer = json.loads(out.splitlines()[-1])
    assert answer["code"] == 0 and "data-oncall" in out
    assert loaded(answer["modules"], NOT_FOR_READING) == []


def test_building_the_parser_loads_no_store_and_no_service() -> None:
    modules = json.loads(probe(PARSER_PROBE, env=dict(os.environ)).splitlines()[-1])
    assert loaded(modules, NOT_FOR_PARSING) == []
