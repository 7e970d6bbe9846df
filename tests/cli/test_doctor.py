"""`oncall-bot doctor`: each check as an admin reads it, against a real store and the fake Slack."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.cli.doctor import manifest_scopes
from bot.cli.main import main
from bot.store import migrate
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
HEAD = migrate.head_revision("sqlite://")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack) -> Path:
    """A migrated store, the Week 6 team file, its runbooks, and Slack credentials for the fake Slack."""
    monkeypatch.chdir(ROOT)
    db = tmp_path / "oncall.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    migrate.upgrade(f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("RUNBOOKS_DIR", str(shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")))
    monkeypatch.setenv("TEAM_FILE", str(ROOT / "examples" / "week6-team.yaml"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "a-real-signing-secret")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("INCIDENTS_CHANNEL", raising=False)
    fake_slack.scopes = manifest_scopes() or []
    fake_slack.channels = {"C0DATA": {"id": "C0DATA", "name": "data-oncall", "is_member": True}}
    return db


async def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run in a thread, while the fake Slack answers on this test's event loop."""
    code = await asyncio.to_thread(main, ["doctor"])
    return code, capsys.readouterr().out


async def test_all_is_well(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = await doctor(capsys)
    assert code == 0, out
    assert f"ok      database: sqlite+aiosqlite:///{env} reachable, at migration {HEAD} (the newest)" in out
    assert "ok      team file: " in out and "rotations data-oncall" in out
    assert "ok      runbooks: 7 runbooks" in out
    assert "ok      slack token: the bot" in out
    assert "ok      slack scopes: every scope manifest.yml asks for" in out
    assert "ok      channel #data-oncall: the bot is a member" in out
    assert out.endswith("All checks passed.\n")


async def test_each_problem_says_what_to_do(
    env: Path, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    await asyncio.to_thread(migrate.downgrade, f"sqlite+aiosqlite:///{env}", "0008_swap_shift_and_volunteers")
    fake_slack.scopes = [s for s in fake_slack.scopes if s != "usergroups:write"]
    fake_slack.channels["C0DATA"]["is_member"] = False
    monkeypatch.setenv("INCIDENTS_CHANNEL", "C0GONE")
    code, out = await doctor(capsys)
    assert code == 1
    assert (
        "PROBLEM database: " in out
        and f"is at migration 0008_swap_shift_and_volunteers, the code needs {HEAD}: run `oncall-bot migrate`"
        in out
    )
    assert "PROBLEM slack scopes: the token lacks usergroups:write: add them from manifest.yml" in out
    assert "PROBLEM channel #data-oncall: the bot is not in it: /invite @oncall-bot in #data-oncall" in out
    assert "PROBLEM channel C0GONE: Slack answered channel_not_found: check that C0GONE exists" in out
    assert out.endswith("4 problems found.\n")


async def test_without_credentials_or_database(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setenv("TEAM_FILE", str(tmp_path / "team.yaml"))
    (env.parent / "runbooks" / "growth.md").write_text("no front matter here\n")
    code, out = await doctor(capsys)
    assert code == 1
    assert "PROBLEM settings: SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token" in out
    assert "PROBLEM database: there is no database at sqlite+aiosqlite:///" in out
    assert "yet: run `oncall-bot migrate`" in out and not (tmp_path / "none.db").exists()
    assert "PROBLEM team file: " in out and "team.yaml cannot be used" in out
    assert "PROBLEM runbooks: " in out and "growth.md" in out and "; fix the file" in out
    assert "PROBLEM slack: not checked without SLACK_BOT_TOKEN" in out


async def test_a_refused_token(env: Path, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack) -> None:
    fake_slack.refusals["auth.test"] = "invalid_auth"
    code, out = await doctor(capsys)
    assert code == 1
    assert (
        "PROBLEM slack token: auth.test refused it (invalid_auth): SLACK_BOT_TOKEN is not valid any more"
        in out
    )
