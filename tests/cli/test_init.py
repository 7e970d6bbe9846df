"""A team from scratch, from any folder: `init`, runbooks found beside the team file, the shell
started where nothing is, and the defaults a team file should not leave unsaid."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder away from the checkout, as a new user's; its own database."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'oncall.db'}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAM_FILE", "RUNBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    return here


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_a_team_that_imports_from_anywhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "init", "my-team")
    assert code == 0
    assert "Wrote my-team/team.yaml and 7 runbooks in my-team/runbooks/" in out
    assert "1. Edit my-team/team.yaml" in out and "oncall-bot import my-team/team.yaml --dry-run" in out
    assert (Path("my-team/runbooks/profit.md")).is_file()
    assert "oncall-bot import my-team/team.yaml" in Path("my-team/team.yaml").read_text()
    monkeypatch.chdir(tmp_path)  # the runbooks are found beside the team file, not in the current folder
    code, out, err = run(capsys, "import", str(tmp_path / "here" / "my-team" / "team.yaml"))
    assert code == 0, err
    assert "Applied" in out and err == ""  # the example leaves nothing to a silent default


def test_init_never_overwrites(capsys: pytest.CaptureFixture[str]) -> None:
    Path("team.yaml").write_text("mine")
    code, _, err = run(capsys, "init", "--example", "week5")
    assert code == 2 and "team.yaml already exists; nothing was written" in err
    assert Path("team.yaml").read_text() == "mine"


def test_runbooks_dir_wins_over_the_folder_beside_the_team_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "init")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv("RUNBOOKS_DIR", str(tmp_path / "elsewhere"))
    code, _, err = run(capsys, "import", "team.yaml")
    assert code == 1 and f"{tmp_path / 'elsewhere' / 'profit.md'}: no such runbook" in err


def test_the_shell_in_an_empty_folder_starts_from_the_packaged_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/runbook profit\nquit\n"))
    code, out, err = run(capsys, "shell")
    assert code == 0, err
    assert "Scratch store: the team from" in out and "week6-team.yaml" in out
    assert "Month-end checklist" in out  # the packaged runbook, found from here


def test_the_shell_without_a_team_says_what_to_run_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM_FILE", "team.yaml")
    code, _, err = run(capsys, "shell")
    assert code == 2
    assert "there is no team file at team.yaml (TEAM_FILE)" in err
    assert "Run `oncall-bot init`" in err and "oncall-bot import FILE" in err
    assert not (tmp_path / "oncall.db").exists()


TEAM = """\
people:
  - {id: alice, name: Alice, slack_id: U0ALICE01}
  - {id: bob, name: Bob, slack_id: U0BOB0001}
pipelines:
  - {key: profit, name: Profit, area: Finance, primary: alice, secondary: bob, investor_facing: true,
     runbook: profit.md}
rotations:
  - {name: data, channel: "#data", members: [alice, bob], start: 2026-01-05}
"""


@pytest.mark.parametrize("argv", [["import", "team.yaml"], ["shell"]])
def test_defaults_a_team_file_leaves_unsaid_are_warned_of(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    Path("runbooks").mkdir()
    Path("runbooks/profit.md").write_text(
        "---\nkey: profit\ntitle: Profit\n---\n\n## Description\nNo list.\n"
    )
    Path("team.yaml").write_text(TEAM)
    monkeypatch.setenv("TEAM_FILE", "team.yaml")  # what the shell loads into its empty store
    monkeypatch.setattr(sys, "stdin", io.StringIO("quit\n"))
    code, _, err = run(capsys, *argv)
    assert code == 0
    assert "warning: team.yaml: timezone: not given, so handoffs and holidays follow UTC" in err
    assert "warning: team.yaml: rotations[0].handoff.weekday: not given, so data hands off on Mondays" in err
    assert (
        "warning: team.yaml: pipelines[0]: profit is investor-facing but its runbook has no checklist" in err
    )
