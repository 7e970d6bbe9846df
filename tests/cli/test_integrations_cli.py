"""`oncall-bot integrations`: URLs shown once, only their fingerprints kept, refusals that say why;
and `run-job heartbeats`, the minute tick's heartbeat sweep by hand."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.team import Heartbeat
from bot.features.teamfile.dump import dump_team_file
from bot.features.teamfile.loader import load_team_file
from bot.store import alerts
from bot.store.db import create_engine, session_factory
from tests.cli.test_cli import WEEK6, imported, in_thread, run
from tests.cli.test_cli import slack_env as slack_env  # fixtures: the fake Slack the CLI talks to,
from tests.cli.test_cli import store as store  # and a fresh SQLite file per test
from tests.slack.fakeslack import FakeSlack


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


async def test_run_job_heartbeats_opens_an_incident_for_a_late_pipeline(
    capsys: pytest.CaptureFixture[str],
    slack_env: FakeSlack,
    store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RUNBOOKS_DIR", str(WEEK6.parents[1] / "runbooks"))  # the file moves, not its runbooks
    team = load_team_file(WEEK6)
    hourly = Heartbeat.model_validate({"every": "hourly", "by": "00:00", "grace": "0m"})
    pipelines = [
        p.model_copy(update={"heartbeat": hourly}) if p.key == "growth" else p for p in team.pipelines
    ]
    (tmp_path / "team.yaml").write_text(dump_team_file(team.model_copy(update={"pipelines": pipelines})))
    assert (await in_thread(capsys, "import", str(tmp_path / "team.yaml")))[0] == 0
    assert (
        await in_thread(capsys, "integrations", "add", "beat", "--kind", "heartbeat", "--pipeline", "growth")
    )[0] == 0
    engine = create_engine(f"sqlite+aiosqlite:///{store}")
    async with session_factory(engine)() as session:
        await alerts.add_ping(
            session, pipeline="growth", integration="beat", at=datetime.now(UTC) - timedelta(hours=3)
        )
        await session.commit()
    await engine.dispose()
    code, out, _ = await in_thread(capsys, "run-job", "heartbeats", "--dry-run")
    assert code == 0 and out.startswith("growth: due by ") and "would open an incident" in out
    assert slack_env.calls == []
    code, out, _ = await in_thread(capsys, "run-job", "heartbeats")
    assert code == 0 and out == "opened incident #1\n"
    assert "growth has not reported since" in str(slack_env.of("chat.postMessage")[0].args["blocks"])
    code, out, _ = await in_thread(capsys, "run-job", "heartbeats")
    assert code == 0 and out.startswith("No heartbeat incident to open at")
