"""`oncall-bot shell`: what is changed there is logged as coming from the shell, not from Slack."""

from __future__ import annotations

import io
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_a_change_made_in_the_shell_is_logged_as_from_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'oncall.db'}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    first = date.today() + timedelta(days=40)  # the shell runs on the real clock
    script = (
        f"/oncall away {first} {first + timedelta(days=1)} trip\n/oncall history 1\n"
        "/oncall calendar\n/oncall history 1\n"
        "/incident growth sev2 numbers late\n1\n/oncall history 2\n"  # declared, then acknowledged
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    assert main(["shell", "--as", "carol"]) == 0
    out = capsys.readouterr().out
    assert "Recorded absence #1" in out
    assert "(shell) absence.add `carol`" in out
    assert "(shell) calendar.issue `carol`" in out
    assert "(shell) incident.declared `#1`" in out and "(shell) incident.acknowledged `#1`" in out
