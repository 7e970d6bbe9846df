"""Migrating from any folder, and a migration that cannot run said in one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli.main import main

WEEK6 = Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder far from the checkout, with a database of its own."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "oncall.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    return db


def test_migrate_from_an_empty_folder(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert "The database is at revision head" in capsys.readouterr().out
    with sqlite3.connect(elsewhere) as db:
        tables = {name for (name,) in db.execute("select name from sqlite_master where type = 'table'")}
    assert {"people", "rotations", "post_ledger", "calendar_event_revisions"} <= tables


def test_a_database_from_a_newer_version_is_one_line(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(elsewhere) as db:
        db.execute("create table alembic_version (version_num varchar(32) primary key)")
        db.execute("insert into alembic_version values ('0099_from_the_future')")
    # Every command that migrates the configured database (the shell's scratch store leaves it alone).
    for command in (["migrate"], ["import", str(WEEK6)], ["shell", "--store", "real"]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"oncall-bot {command[0]}: cannot migrate the database at sqlite+aiosqlite:///")
        assert "0099_from_the_future" in err and err.count("\n") == 1 and "Traceback" not in err
