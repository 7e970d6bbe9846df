"""Loading team files: the examples load; YAML and schema mistakes are named with their place and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.features.teamfile.loader import load_team_file, parse_team_file
from tests.teamfile.sample import BASE, edited, refusal

ROOT = Path(__file__).resolve().parents[2]
RUNBOOKS = ROOT / "runbooks"


def test_week6_example_loads_with_its_runbooks() -> None:
    team = load_team_file(ROOT / "examples" / "week6-team.yaml", runbooks_dir=RUNBOOKS)
    assert team.timezone == "America/New_York" and team.holidays.country == "US"
    assert [p.id for p in team.people] == ["alice", "bob", "carol", "david"]
    assert [p.id for p in team.people if p.admin] == ["alice", "david"]
    owners = {p.key: (p.primary, p.secondary) for p in team.pipelines}
    assert owners == {
        "profit": ("alice", "bob"),
        "profit-unit": ("alice", "bob"),
        "growth": ("bob", "carol"),
        "growth-daily": ("bob", "carol"),
        "engagement": ("carol", "david"),
        "engagement-daily": ("carol", "david"),
        "aggregated": ("david", "alice"),
    }
    investor_facing = {p.key for p in team.pipelines if p.investor_facing}
    assert investor_facing == {"profit", "growth", "engagement", "aggregated"}
    assert all((RUNBOOKS / p.runbook).is_file() for p in team.pipelines if p.runbook)
    (rotation,) = team.rotations
    assert (rotation.name, rotation.channel, rotation.members) == (
        "data-oncall",
        "#data-oncall",
        ["alice", "bob", "carol", "david"],
    )
    assert (rotation.backup, rotation.unit, rotation.handoff.weekday, str(rotation.start)) == (
        "next",
        "weekly",
        "monday",
        "2026-01-05",
    )


def test_week5_example_loads_with_its_holiday_pins() -> None:
    team = load_team_file(ROOT / "examples" / "week5-team.yaml", runbooks_dir=RUNBOOKS)
    assert [p.id for p in team.people] == ["alice", "bob", "charlie", "david"]
    assert len(team.pipelines) == 8 and not any(p.runbook for p in team.pipelines)
    assert {str(day): who for day, who in team.holidays.pinned.items()} == {
        "2026-01-01": "david",
        "2026-05-25": "alice",
        "2026-07-03": "bob",
        "2026-09-07": "charlie",
        "2026-11-26": "david",
        "2026-12-25": "alice",
    }


def test_defaults_fill_what_a_minimal_file_leaves_out() -> None:
    team = parse_team_file(
        "people: [{id: ann, name: Ann, email: a@example.com}, {id: ben, name: Ben, email: b@example.com}]\n"
        "rotations: [{name: ops, channel: '#ops', members: [ann, ben], start: 2026-01-05}]\n"
    )
    rotation = team.rotations[0]
    assert (team.timezone, team.holidays.country) == ("UTC", "US")
    assert (rotation.backup, rotation.unit, rotation.length, rotation.handoff.weekday) == (
        "next",
        "weekly",
        1,
        "monday",
    )
    assert rotation.handoff.time.isoformat() == "09:00:00"


@pytest.mark.parametrize(
    ("old", "new", "where", "line", "says"),
    [
        ("    aliases: [revenue]", "    alias: [revenue]", "pipelines[0].alias", 26, "unknown field 'alias'"),
        ("    start: 2026-01-05\n", "", "rotations[0].start", 34, "required field is missing"),
        ("2026-01-05", "2026-02-30", "rotations[0].start", 41, "day is out of range for month"),
        ("2026-01-05", "20260105", "rotations[0].start", 41, "20260105 is not a date (write"),
        ("2026-12-25: ann", "2026-13-25: ann", "holidays.pinned.2026-13-25", 5, "month must be in 1..12"),
        ('"09:00"', '"25:00"', "rotations[0].handoff.time", 40, "'25:00' is not a time of day as HH:MM"),
        ('"09:00"', "10:30", "rotations[0].handoff.time", 40, 'write the time in quotes, like "09:00"'),
        ("monday", "funday", "rotations[0].handoff.weekday", 39, "'funday' is not allowed; use 'monday'"),
        ("Europe/London", "Mars/Olympus", "timezone", 1, "unknown time zone 'Mars/Olympus'"),
        ("  - id: cat", "  - id: Cat", "people[2].id", 13, "'Cat' is not an id of lowercase letters"),
        ("ann@example.com", "ann", "people[0].email", 9, "'ann' is not an email address"),
        ("U0BEN0001", "ben", "people[1].slack_id", 12, "'ben' is not a Slack user id"),
        ('"#ops"', "ops", "rotations[0].channel", 35, "'ops' is not a channel"),
        ("[cat]", "[42]", "pipelines[0].escalation[0]", 27, "write a person id, or a contact like"),
        ("[cat]", "[{name: Infra, team: x}]", "pipelines[0].escalation[0].team", 27, "unknown field 'team'"),
        ("backup: next", "backup: previous", "rotations[0].backup", 37, "'previous' is not allowed"),
        ("backup: next", "backup: [{primary: ann}]", "rotations[0].backup[0].backup", 37, "required field"),
        ("[ann, ben, cat]", "[ann]", "rotations[0].members", 36, "needs at least 2 entries, has 1"),
        ("backup: next", "length: 0", "rotations[0].length", 37, "0 is below the minimum, 1"),
        ("    name: Dee", "    name: Dee\n    admin: maybe", "people[3].admin", 18, "not true or false"),
        ("    name: Dee", "    name: 2026", "people[3].name", 17, "2026 is not text (put it in quotes)"),
        ("sales.md", "../x.md", "pipelines[0].runbook", 25, "must be a plain .md file name"),
        ("    name: Ann", "    name: Ann\n    name: Anne", "people[0].name", 9, "duplicate key 'name'"),
        (
            "2026-12-25: ann",
            "2026-12-25: ann\n    2026-12-25: ben",
            "holidays.pinned.2026-12-25",
            6,
            "duplicate",
        ),
    ],
)
def test_each_mistake_is_named_with_its_place_and_line(
    old: str, new: str, where: str, line: int, says: str, runbooks_dir: Path
) -> None:
    text, problems = refusal(edited(old, new), runbooks_dir)
    assert [(p.where, p.line) for p in problems] == [(where, line)], text
    assert says in problems[0].message
    assert text.startswith(f"team.yaml:{line}: {where}: ")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("people:\n  - id: [unclosed\n", "team.yaml:3: not valid YAML, column 1: expected ',' or ']'"),
        ("people:\n\t- id: ann\n", "team.yaml:2: not valid YAML, column 1: found character '\\t'"),
        ("people: !!python/object:os.system {}\n", "team.yaml:1: not valid YAML, column 9: could not"),
        ("", "team.yaml:1: the file must be a mapping"),
        ("- just\n- a list\n", "team.yaml:1: the file must be a mapping"),
        ("42\n", "team.yaml:1: the file must be a mapping"),
        ("[" * 5000 + "]" * 5000, "team.yaml: the YAML is nested too deeply"),
        ("people: &p [*p]\n", "team.yaml:1: aliases expand to too many values"),
    ],
)
def test_unreadable_yaml_is_refused_with_its_line(text: str, says: str) -> None:
    message, problems = refusal(text, None)
    assert message.startswith(says) and len(problems) == 1


def test_aliases_that_multiply_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    message, _ = refusal("\n".join(lines) + "\n", None)
    assert message == "team.yaml:1: aliases expand to too many values"


def test_every_problem_is_listed_at_once() -> None:
    text, schema = refusal(BASE.replace("ann@example.com", "ann").replace("U0BEN0001", "ben"), None)
    assert [p.where for p in schema] == ["people[0].email", "people[1].slack_id"], text
    text, cross = refusal(BASE.replace("secondary: ben", "secondary: zed").replace("[cat]", "[yan]"), None)
    assert [p.where for p in cross] == ["pipelines[0].secondary", "pipelines[0].escalation[0]"], text


def test_duplicate_keys_are_reported_with_the_other_problems() -> None:
    text = edited("    name: Ann", "    name: Ann\n    name: Anne").replace("U0BEN0001", "ben")
    _, problems = refusal(text, None)
    assert [(p.where, p.line) for p in problems] == [("people[0].name", 9), ("people[1].slack_id", 13)]


def test_merge_keys_are_not_duplicates() -> None:
    text = edited("  - key: sales\n", "  - &sales\n    key: sales\n").replace(
        "  - key: sales-daily\n    name: Daily Sales\n    area: sales\n",
        "  - <<: *sales\n    key: sales-daily\n    name: Daily Sales\n    aliases: []\n",
    )
    team = parse_team_file(text)
    assert (team.pipelines[1].key, team.pipelines[1].area, team.pipelines[1].runbook) == (
        "sales-daily",
        "sales",
        "sales.md",
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"09:00"', "09:00"),  # YAML reads a leading zero time as text
        ("monday", "Monday"),
        ("country: GB", "country: gb"),
        ("2026-12-25: ann", "2026-12-28: ann"),  # Boxing Day observed
        ("  country: GB", "  country: GB\n  extra: [{date: 2026-08-14, name: Summer party}]"),
    ],
)
def test_equivalent_spellings_are_accepted(old: str, new: str, runbooks_dir: Path) -> None:
    parse_team_file(edited(old, new), runbooks_dir=runbooks_dir)


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("name: Jos\xe9\n".encode("latin-1"))
    for path in (tmp_path / "missing.yaml", tmp_path / "latin1.yaml"):
        with pytest.raises(Exception, match="cannot read the file") as error:
            load_team_file(path)
        assert str(error.value).startswith(str(path))
