"""The command line as an admin uses it: real files, a real SQLite store, exit codes and output."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.main import main
from bot.features.absences import service as absences
from bot.features.absences import volunteers as volunteer_calls
from bot.features.incidents import service as incidents
from bot.features.oncall.views import load_view, on_call
from bot.store import swaps as swaps_store
from bot.store.db import create_engine, session_factory
from tests.incidents.fixtures import KAFKA_DOWN
from tests.slack.blocks_check import text_of
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
WEEK6 = ROOT / "examples" / "week6-team.yaml"
MEMBERS = ["alice", "bob", "carol", "david"]


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "oncall.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def imported(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(WEEK6))
    assert code == 0, err


def week6_primary(day: date) -> str:
    """The plain Week 6 rotation: weekly from Monday 2026-01-05, alice, bob, carol, david."""
    return MEMBERS[((day - date(2026, 1, 5)).days // 7) % 4]


def test_import_then_reimport_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(WEEK6))
    assert code == 0
    assert "Applied" in out and "person alice" in out and "rotation data-oncall" in out
    code, out, _ = run(capsys, "import", str(WEEK6))
    assert code == 0
    assert out.startswith("No changes")


def test_dry_run_applies_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(WEEK6), "--dry-run")
    assert code == 0 and "Would apply" in out and "nothing was written" in out
    code, _, err = run(capsys, "who")
    assert code == 2 and "no team has been imported" in err


def test_export_then_import_is_a_no_op(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(capsys)
    monkeypatch.setenv("RUNBOOKS_DIR", str(ROOT / "runbooks"))  # the export has no runbooks beside it
    exported = tmp_path / "team.yaml"
    assert run(capsys, "export", "-o", str(exported))[0] == 0
    code, out, _ = run(capsys, "import", str(exported))
    assert code == 0 and out.startswith("No changes")


def test_who_json_names_the_rotation_primary(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "who", "--at", "2026-12-08T12:00", "--format", "json")
    assert code == 0
    answer = json.loads(out)
    assert answer["rotation"] == "data-oncall"
    assert answer["primary"] == week6_primary(date(2026, 12, 8))
    assert answer["backup"] == MEMBERS[(MEMBERS.index(answer["primary"]) + 1) % 4]
    assert answer["reasons"]["primary"] == "regular rotation"


def test_who_before_the_handoff_is_still_last_week(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    _, out, _ = run(capsys, "who", "--at", "2026-12-07T08:59", "--format", "json")
    assert json.loads(out)["primary"] == week6_primary(date(2026, 11, 30))
    _, out, _ = run(capsys, "who", "--at", "2026-12-07T09:00", "--format", "json")
    assert json.loads(out)["primary"] == week6_primary(date(2026, 12, 7))


def test_schedule_json_marks_thanksgiving(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "schedule", "--from", "2026-11-23", "--weeks", "1", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {row["role"] for row in rows} == {"primary", "backup"}
    holiday = [r for r in rows if r["reason"] == "holiday" and r["role"] == "primary"]
    assert holiday and holiday[0]["start"].startswith("2026-11-26T00:00:00-05:00")
    assert holiday[0]["person"] != week6_primary(date(2026, 11, 26))
    assert "Thanksgiving" in holiday[0]["detail"]


def test_schedule_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "schedule", "--from", "2026-11-23", "--to", "2026-11-29")
    assert code == 0
    assert "ROLE" in out and "Mon 2026-11-23 09:00 EST" in out
    assert "Thanksgiving Day" in out


def test_holidays_lists_each_with_counts(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "holidays", "--year", "2026")
    assert code == 0
    assert "Thanksgiving Day" in out and "Christmas Day" in out
    counts = [int(part.split()[1]) for part in out.split("Count 2026: ")[1].splitlines()[0].split(", ")]
    assert max(counts) - min(counts) <= 1


def test_holidays_before_the_rotation_starts_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "holidays", "--year", "2020")
    assert code == 0
    assert out.strip() == "data-oncall starts in 2026: it has no holiday duty in 2020"


def test_holidays_say_why_and_count_across_years(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "holidays", "--year", "2028")
    assert code == 0
    thanksgiving = next(line for line in out.splitlines() if "Thanksgiving Day" in line)
    assert "big day: had no big holiday since " in thanksgiving
    observed = next(line for line in out.splitlines() if "Veterans Day (observed)" in line)
    assert "observed, with Sat 11 Nov: counts once" in observed
    assert "Count 2026-2028: alice " in out and "(big " in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["who", "--at", "yesterday"], "not an ISO-8601 time"),
        (["schedule", "--weeks", "0"], "out of range"),
        (["schedule", "--from", "2026-13-01"], "not a date"),
        (["schedule", "--weeks", "2", "--to", "2026-12-01"], "not allowed with"),
        (["who", "--format", "xml"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert says in capsys.readouterr().err


def test_unknown_rotation_names_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, _, err = run(capsys, "who", "--rotation", "nope")
    assert code == 2 and "unknown rotation 'nope'" in err and "data-oncall" in err


def test_schedule_to_before_from(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, _, err = run(capsys, "schedule", "--from", "2026-12-10", "--to", "2026-12-01")
    assert code == 2 and "before" in err


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", "no-such-team.yaml")
    assert code == 2 and "no such file" in err


def test_invalid_file_fails_and_changes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    imported(capsys)
    broken = tmp_path / "broken.yaml"
    broken.write_text(WEEK6.read_text().replace("primary: bob", "primary: zed", 1))
    code, _, err = run(capsys, "import", str(broken))
    assert code == 1 and "zed" in err and "nothing changed" in err
    code, out, _ = run(capsys, "import", str(WEEK6))
    assert out.startswith("No changes")


def test_unreachable_database_is_a_failure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, _, err = run(capsys, "who")
    assert code == 1 and "cannot reach the database" in err and "Traceback" not in err


def test_run_job_handoff_dry_run_prints_the_post(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "run-job", "handoff", "--at", "2026-11-23T12:00", "--dry-run")
    assert code == 0
    assert "[handoff:data-oncall:2026-11-23 to #data-oncall]" in out
    assert "Incoming primary: @Carol" in out and "Thanksgiving Day: @David covers" in out


def test_run_job_needs_slack_unless_dry_run(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, _, err = run(capsys, "run-job", "handoff", "--at", "2026-11-24T12:00")
    assert code == 2 and "SLACK_BOT_TOKEN" in err


def test_run_job_unknown_rotation(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, _, err = run(capsys, "run-job", "handoff", "--rotation", "nope", "--dry-run")
    assert code == 2 and "unknown rotation 'nope'" in err


def test_run_job_reminders_dry_run(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "run-job", "reminders", "--at", "2026-11-25T09:00", "--dry-run")
    assert code == 0
    assert "[holiday:data-oncall:2026-11-26 to #data-oncall]" in out and "Thanksgiving Day" in out
    code, out, _ = run(capsys, "run-job", "reminders", "--at", "2026-11-20T09:30", "--dry-run")
    assert "[reminder:data-oncall:2026-11-23:primary:carol to U0CAROL01]" in out
    assert "[reminder:data-oncall:2026-11-23:backup:david to U0DAVID01]" in out
    code, out, _ = run(capsys, "run-job", "reminders", "--at", "2026-11-21T12:00", "--dry-run")
    assert out.startswith("Nothing to post for reminders")


def checklist_rows(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM checklist_items").fetchone()[0])


def test_run_job_month_end_dry_run_prints_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    imported(capsys)
    code, out, _ = run(capsys, "run-job", "month-end", "--at", "2026-11-23T09:30", "--dry-run")
    assert code == 0
    assert "[month-end:profit:2026-11 to #data-oncall]" in out
    assert "Financial records completeness is above 99.5%" in out
    assert checklist_rows(store) == 0  # its boxes are made when the checklist is really posted


def test_run_job_month_end_is_for_the_whole_team(capsys: pytest.CaptureFixture[str]) -> None:
    imported(capsys)
    code, out, err = run(capsys, "run-job", "month-end", "--rotation", "data-oncall", "--dry-run")
    assert code == 2 and out == ""
    assert "month-end is for the whole team, not one rotation: run it without --rotation" in err


@pytest.fixture
def slack_env(fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> FakeSlack:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    return fake_slack


async def in_thread(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The command as a shell runs it, while the fake Slack answers on this test's event loop."""
    return await asyncio.to_thread(run, capsys, *argv)


async def test_run_job_handoff_posts_once(capsys: pytest.CaptureFixture[str], slack_env: FakeSlack) -> None:
    assert (await in_thread(capsys, "import", str(WEEK6)))[0] == 0
    code, out, _ = await in_thread(capsys, "run-job", "handoff", "--at", "2026-11-23T12:00")
    assert code == 0 and out == "handoff:data-oncall:2026-11-23: sent\n"
    code, out, _ = await in_thread(capsys, "run-job", "handoff", "--at", "2026-11-23T12:00")
    assert code == 0 and out == "handoff:data-oncall:2026-11-23: already sent\n"
    [post] = slack_env.of("chat.postMessage")
    assert post.args["channel"] == "#data-oncall" and "<@U0CAROL01>" in text_of(post.args)


async def declare_sev1(db: Path, at: datetime) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with session_factory(engine)() as session:
            await incidents.declare(session, key="cli-1", declaration=KAFKA_DOWN, at=at)
    finally:
        await engine.dispose()


async def test_run_job_incidents_escalates_what_is_due(
    capsys: pytest.CaptureFixture[str], slack_env: FakeSlack, store: Path
) -> None:
    assert (await in_thread(capsys, "import", str(WEEK6)))[0] == 0
    declared_at = datetime.now(UTC) - timedelta(minutes=6)
    await declare_sev1(store, declared_at)
    early = (declared_at + timedelta(minutes=4)).isoformat()
    code, out, _ = await in_thread(capsys, "run-job", "incidents", "--at", early, "--dry-run")
    assert code == 0 and out.startswith("Nothing to escalate at")
    code, out, _ = await in_thread(capsys, "run-job", "incidents", "--dry-run")
    expected = "#1 Engagement Pipeline (sev1): {} level 1, the escalation contacts: Infrastructure team\n"
    assert code == 0 and out == expected.format("would call")
    assert slack_env.of("chat.postMessage") == []
    code, out, _ = await in_thread(capsys, "run-job", "incidents")
    assert code == 0 and out == expected.format("called")
    escalation = [p for p in slack_env.of("chat.postMessage") if "Escalated to level 1" in p.args["text"]]
    assert len(escalation) == 1 and "thread_ts" in escalation[0].args
    code, out, _ = await in_thread(capsys, "run-job", "incidents")
    assert code == 0 and out.startswith("Nothing to escalate at")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--rotation", "data-oncall", "--dry-run"], "incidents escalate by pipeline, not by rotation"),
        (["--at", "2026-11-24T12:00"], "--at works only with --dry-run"),
    ],
)
def test_run_job_incidents_refuses_what_does_not_apply(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    imported(capsys)
    code, _, err = run(capsys, "run-job", "incidents", *argv)
    assert code == 2 and says in err


async def pending_past_its_time(db: Path) -> None:
    """A request from Alice to Carol whose shift started a minute ago, never answered."""
    now = datetime.now(UTC)
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with session_factory(engine)() as session:
            await swaps_store.add_request(
                session,
                rotation="data-oncall",
                requester="alice",
                teammate="carol",
                mode="cover",
                give=(now - timedelta(minutes=1), now + timedelta(days=1)),
                take=None,
                reason="",
                actor="alice",
                source="slack",
                at=now - timedelta(hours=1),
            )
            await session.commit()
    finally:
        await engine.dispose()


async def test_run_job_swaps_expires_what_is_past_its_time(
    capsys: pytest.CaptureFixture[str], slack_env: FakeSlack, store: Path
) -> None:
    assert (await in_thread(capsys, "import", str(WEEK6)))[0] == 0
    await pending_past_its_time(store)
    early = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    code, out, _ = await in_thread(capsys, "run-job", "swaps", "--at", early, "--dry-run")
    assert code == 0 and out.startswith("No swap request to expire at")
    for _ in range(2):  # a dry run changes nothing
        code, out, _ = await in_thread(capsys, "run-job", "swaps", "--dry-run")
        assert code == 0 and out.startswith(
            "#1 Alice asked Carol (cover): would expire, its first shift started"
        )
    assert slack_env.of("chat.postMessage") == []
    code, out, _ = await in_thread(capsys, "run-job", "swaps")
    assert code == 0 and out.startswith("#1 Alice asked Carol (cover): expired")
    [told] = slack_env.of("chat.postMessage")
    assert told.args["channel"] == "U0ALICE01" and told.args["text"] == "Swap request expired"
    code, out, _ = await in_thread(capsys, "run-job", "swaps")
    assert code == 0 and out.startswith("No swap request to expire at")


async def call_past_its_deadline(db: Path) -> str:
    """Whoever is primary tomorrow was recorded away two days ago, for tomorrow and the day after; the
    channel was asked for a volunteer, and nobody came. Their name."""
    now = datetime.now(UTC)
    tomorrow = (now + timedelta(days=1)).astimezone(ZoneInfo("America/New_York")).date()
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with session_factory(engine)() as session:
            view = await load_view(session)
            [then] = await on_call(session, at=now + timedelta(days=1), view=view)
            assert then.primary is not None and then.primary.person is not None
            person = view.people[then.primary.person]
            at = now - timedelta(days=2)
            recorded = await absences.record_absence(
                session,
                view=view,
                person=person,
                first=tomorrow,
                last=tomorrow + timedelta(days=1),
                reason="",
                actor=person.id,
                source="slack",
                at=at,
            )
            offers = volunteer_calls.volunteer_offers(recorded, at)
            await volunteer_calls.open_calls(session, view=view, recorded=recorded, offers=offers)
            await session.commit()
            return person.name
    finally:
        await engine.dispose()


async def test_run_job_volunteers_closes_the_calls_past_their_deadline(
    capsys: pytest.CaptureFixture[str], slack_env: FakeSlack, store: Path
) -> None:
    assert (await in_thread(capsys, "import", str(WEEK6)))[0] == 0
    absent = await call_past_its_deadline(store)
    early = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    code, out, _ = await in_thread(capsys, "run-job", "volunteers", "--at", early, "--dry-run")
    assert code == 0 and out.startswith("No call for a volunteer is past its deadline at")
    expected = f"call #1 (data-oncall, {absent} away): {{}} that the backup stays "
    code, out, _ = await in_thread(capsys, "run-job", "volunteers", "--dry-run")
    assert code == 0 and out.startswith(expected.format("would close, would announce"))
    assert slack_env.of("chat.postMessage") == []
    code, out, _ = await in_thread(capsys, "run-job", "volunteers")
    assert code == 0 and out.startswith(expected.format("closed, announced"))
    [told] = slack_env.of("chat.postMessage")
    assert told.args["channel"] == "#data-oncall" and told.args["text"] == "Nobody volunteered"
    code, out, _ = await in_thread(capsys, "run-job", "volunteers")
    assert code == 0 and out.startswith("No call for a volunteer is past its deadline at")


@pytest.mark.parametrize("job", ["swaps", "volunteers"])
@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--rotation", "data-oncall", "--dry-run"], "for the whole team: run it without --rotation"),
        (["--at", "2026-11-24T12:00"], "--at works only with --dry-run"),
    ],
)
def test_run_job_sweeps_refuse_what_does_not_apply(
    capsys: pytest.CaptureFixture[str], job: str, argv: list[str], says: str
) -> None:
    imported(capsys)
    code, _, err = run(capsys, "run-job", job, *argv)
    assert code == 2 and says in err
