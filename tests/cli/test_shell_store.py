"""`oncall-bot shell` works on a scratch store: nothing done there changes the real store or what the
real bot posts, unless an admin asks for the real store with `--store real`."""

from __future__ import annotations

import asyncio
import io
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
WEEK6 = ROOT / "examples" / "week6-team.yaml"
WEEK5 = ROOT / "examples" / "week5-team.yaml"
AWAY = date.today() + timedelta(days=40)  # the shell runs on the real clock
GO_AWAY = f"/oncall away {AWAY} {AWAY + timedelta(days=1)} trip\n"


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "oncall.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("SLACK_RETRY_SECONDS", "0")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAM_FILE"):
        monkeypatch.delenv(name, raising=False)
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shell(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, script: str, *argv: str
) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    code, out, err = run(capsys, "shell", *argv)
    assert code == 0, err
    return out


def absences(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM absences").fetchone()[0])


def test_the_shell_changes_a_copy_of_the_store(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store: Path
) -> None:
    assert run(capsys, "import", str(WEEK6))[0] == 0
    out = shell(capsys, monkeypatch, GO_AWAY + "/oncall history 1\n", "--as", "carol")
    assert out.startswith(f"Scratch store: a copy of the team and schedule in sqlite+aiosqlite:///{store}")
    assert "Nothing done in this shell changes the real store" in out.splitlines()[0]
    assert "Recorded absence #1" in out and "(shell) absence.add `carol`" in out
    assert absences(store) == 0
    # The next shell starts from the real store again: the absence of the last one is gone.
    assert "Recorded absence #1" in shell(capsys, monkeypatch, GO_AWAY, "--as", "carol")


def test_the_shell_copies_what_the_real_store_has(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store: Path
) -> None:
    assert run(capsys, "import", str(WEEK6))[0] == 0
    shell(capsys, monkeypatch, GO_AWAY, "--as", "carol", "--store", "real")
    out = shell(capsys, monkeypatch, "/oncall away list\n", "--as", "carol")
    assert "Scratch store: a copy" in out and f"{AWAY:%a %d %b}" in out  # the real absence, copied


def test_the_real_store_only_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store: Path
) -> None:
    out = shell(capsys, monkeypatch, GO_AWAY, "--as", "carol", "--store", "real")
    first, second = out.splitlines()[:2]
    assert first.startswith("WARNING: this shell works on the real store (sqlite+aiosqlite:///")
    assert "counts as sent, so the bot will not post it again" in first
    assert second.startswith("The store was empty: loaded the team from ")
    assert second.endswith("examples/week6-team.yaml.")
    assert absences(store) == 1


def test_without_a_database_the_shell_loads_the_team_file_and_leaves_no_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store: Path
) -> None:
    out = shell(capsys, monkeypatch, "")
    assert out.startswith("Scratch store: the team from ")
    assert "examples/week6-team.yaml (there is no database file" in out.splitlines()[0]
    assert "oncall-bot shell, as Alice (alice)" in out
    assert not store.exists()


def test_a_team_file_that_cannot_be_read_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEAM_FILE", str(tmp_path / "none.yaml"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run(capsys, "shell")
    assert code == 2 and "there is no database file" in err and "none.yaml" in err and "Traceback" not in err


@pytest.fixture
def slack_env(fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> FakeSlack:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    return fake_slack


async def test_posts_made_in_the_shell_are_still_posted_for_real(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, slack_env: FakeSlack
) -> None:
    assert (await asyncio.to_thread(run, capsys, "import", str(WEEK6)))[0] == 0
    script = "clock 2026-11-23T10:00\nrun-job handoff\nrun-job month-end\n"
    out = await asyncio.to_thread(shell, capsys, monkeypatch, script)
    assert "(handoff:data-oncall:2026-11-23: sent)" in out and "(month-end:profit:2026-11: sent)" in out
    assert slack_env.of("chat.postMessage") == []  # the shell sends nothing to Slack

    at = ("--at", "2026-11-23T10:00")
    code, out, _ = await asyncio.to_thread(run, capsys, "run-job", "handoff", *at, "--dry-run")
    assert code == 0 and out.startswith("[handoff:data-oncall:2026-11-23 to #data-oncall]")
    code, out, _ = await asyncio.to_thread(run, capsys, "run-job", "handoff", *at)
    assert code == 0 and out == "handoff:data-oncall:2026-11-23: sent\n"
    code, out, _ = await asyncio.to_thread(run, capsys, "run-job", "month-end", *at)
    assert code == 0 and "month-end:profit:2026-11: sent" in out
    code, out, _ = await asyncio.to_thread(run, capsys, "run-job", "handoff", *at, "--dry-run")
    assert code == 0 and out == "handoff:data-oncall:2026-11-23: already sent\n"


async def test_an_old_handoff_needs_force(capsys: pytest.CaptureFixture[str], slack_env: FakeSlack) -> None:
    assert (await asyncio.to_thread(run, capsys, "import", str(WEEK6)))[0] == 0
    at = ("--at", "2026-11-24T12:00")
    for dry_run in (("--dry-run",), ()):
        code, out, _ = await asyncio.to_thread(run, capsys, "run-job", "handoff", *at, *dry_run)
        assert code == 0
        assert out == (
            "handoff:data-oncall:2026-11-23: not posted: it was due Mon 23 Nov 09:00 EST, 27 hours before "
            "Tue 24 Nov 12:00 EST, more than POST_GRACE_HOURS=6; `--force` posts it anyway\n"
        )
    assert slack_env.of("chat.postMessage") == []
    code, out, _ = await asyncio.to_thread(run, capsys, "run-job", "handoff", *at, "--force")
    assert code == 0 and out == "handoff:data-oncall:2026-11-23: sent\n"


def test_email_only_people_act_in_the_shell(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Week 5 team gives people by email only: the shell finds them as `serve` finds them in Slack."""
    monkeypatch.setenv("TEAM_FILE", str(WEEK5))
    swap_to_charlie = "/swap\n2\n2\n1\n\n\nmy vacation\n"  # Alice's second shift, cover only
    script = (
        "clock 2026-12-08T12:00\n/oncall me\n/oncall @bob\n/incident growth late data\n1\n"
        f"{swap_to_charlie}as charlie\n1\n"
    )
    out = shell(capsys, monkeypatch, script)
    assert "Found by email (standing in for Slack's lookup): Alice, Bob, Charlie, David." in out
    assert "not in the team file" not in out
    assert "Your on-call\n============\n@Alice" in out
    assert "On-call of Bob" in out
    assert "👀 Acknowledged by Alice." in out
    assert "📤 Asked @Charlie (request #1)" in out
    assert "→ DM to Charlie:\n🔄 @Alice asks you to cover for them (request #1)" in out
    assert "@Charlie is approved" in after(out, "Now acting as Charlie (charlie).")


def after(text: str, marker: str) -> str:
    assert marker in text, f"{marker!r} was not printed"
    return text.split(marker, 1)[1]
