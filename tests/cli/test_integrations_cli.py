"""`oncall-bot integrations`: URLs shown once, only their fingerprints kept, refusals that say why."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import imported, run
from tests.cli.test_cli import store as store  # the store fixture: a fresh SQLite file per test


def test_add_prints_a_secret_url_and_the_store_keeps_only_its_hash(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    imported(capsys)
    code, out, err = run(capsys, "integrations", "add", "prom", "--kind", "alertmanager", "--format", "json")
    assert code == 0, err
    made = json.loads(out)
    assert made["name"] == "prom" and made["kind"] == "alertmanager" and made["pipeline"] is None
    prefix = "http://localhost:3000/integrations/"
    assert made["url"].startswith(prefix) and made["url"].endswith("/alertmanager")
    secret = made["url"].removeprefix(prefix).split("/")[0]
    assert len(secret) >= 40
    stored = sqlite3.connect(store).execute("SELECT * FROM integrations").fetchall()
    assert len(stored) == 1 and secret not in str(stored)


def test_list_rotate_and_remove(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    run(capsys, "integrations", "add", "airflow", "--kind", "generic", "--pipeline", "growth")
    code, out, _ = run(capsys, "integrations", "add", "beat", "--kind", "heartbeat", "--pipeline", "growth")
    assert code == 0 and "/heartbeat" in out
    code, out, _ = run(capsys, "integrations", "list")
    assert code == 0 and "airflow" in out and "generic" in out and "growth" in out and "beat" in out
    assert "/integrations/" not in out  # the URLs are not kept, so never listed
    _, first, _ = run(capsys, "integrations", "rotate", "airflow", "--format", "json")
    _, second, _ = run(capsys, "integrations", "rotate", "airflow", "--format", "json")
    assert json.loads(first)["url"] != json.loads(second)["url"]
    code, out, _ = run(capsys, "integrations", "remove", "airflow")
    assert code == 0 and "refused from now on" in out
    _, listed, _ = run(capsys, "integrations", "list", "--format", "json")
    assert [i["name"] for i in json.loads(listed)] == ["beat"]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["add", "Prom!", "--kind", "generic"], "is not a name"),
        (["add", "x", "--kind", "generic", "--pipeline", "nope"], "no pipeline has the key 'nope'"),
        (["add", "hb", "--kind", "heartbeat"], "give --pipeline KEY"),
        (["rotate", "ghost"], "there is no integration called 'ghost'"),
        (["remove", "ghost"], "there is no integration called 'ghost'"),
    ],
)
def test_refusals_say_why(capsys: pytest.CaptureFixture[str], argv: list[str], said: str) -> None:
    imported(capsys)
    code, _, err = run(capsys, "integrations", *argv)
    assert code == 2 and said in err and "Traceback" not in err


def test_a_name_is_taken_once(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    assert run(capsys, "integrations", "add", "prom", "--kind", "alertmanager")[0] == 0
    code, _, err = run(capsys, "integrations", "add", "prom", "--kind", "generic")
    assert code == 2 and "exists already" in err
