"""The command line imports what a command needs when it needs it: reading the schedule does not
load Slack's libraries, Alembic or the scheduled jobs (see benchmarks/cli.py for the timings)."""

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
)
PROBE = """
import json, sys
from bot.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("command", [["who"], ["schedule", "--weeks", "1"]])
def test_reading_the_schedule_loads_no_slack_alembic_or_jobs(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    url = f"sqlite+aiosqlite:///{tmp_path / 'oncall.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["import", "examples/week6-team.yaml"]) == 0
    capsys.readouterr()
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["code"] == 0 and "data-oncall" in done.stdout
    loaded = [m for m in answer["modules"] if m.split(".")[0] in NOT_FOR_READING or m in NOT_FOR_READING]
    assert loaded == []
