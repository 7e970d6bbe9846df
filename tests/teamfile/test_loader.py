"""Team files: the examples load; every kind of mistake is named with its line; dump round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.teamfile.dump import dump_team_file
from bot.teamfile.loader import TeamFileError, load_team_file, parse_team_file

ROOT = Path(__file__).resolve().parents[2]
RUNBOOKS = ROOT / "runbooks"
WEEK6 = (ROOT / "examples" / "week6-team.yaml").read_text()

MINIMAL = """\
timezone: Europe/London
people:
  - id: ann
    name: Ann
    email: ann@example.com
  - id: ben
    name: Ben
    slack_id: U0BEN0001
pipelines:
  - key: sales
    name: Sales Pipeline
    area: sales
    primary: ann
    secondary: ben
rotations:
  - name: ops
    channel: "#ops"
    members: [ann, ben]
    start: 2026-01-05
"""


def problems(text: str) -> str:
    with pytest.raises(TeamFileError) as error:
        parse_team_file(text, source="team.yaml", runbooks_dir=RUNBOOKS)
    return str(error.value)


@pytest.mark.parametrize("name", ["week6-team.yaml", "week5-team.yaml"])
def test_examples_load(name: str) -> None:
    team = load_team_file(ROOT / "examples" / name, runbooks_dir=RUNBOOKS)
    assert len(team.people) == 4 and team.rotations[0].name == "data-oncall"


def test_minimal_file_gets_defaults() -> None:
    team = parse_team_file(MINIMAL)
    rotation = team.rotations[0]
    assert rotation.backup == "next" and rotation.unit == "weekly" and rotation.handoff.weekday == "monday"
    assert team.holidays.country == "US"


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        (
            "    secondary: ben\n",
            "    secondary: zed\n",
            14,
            "pipelines[0].secondary: unknown person 'zed' (people: ann, ben)",
        ),
        (
            "    members: [ann, ben]",
            "    members: [ann, zed]",
            18,
            "rotations[0].members[1]: unknown person 'zed'",
        ),
        ("    members: [ann, ben]", "    members: [ann]", 18, "rotations[0].members"),
        ("    members: [ann, ben]", "    members: [ann, ann]", 18, "ann is listed twice"),
        ("timezone: Europe/London", "timezone: Mars/Olympus", 1, "unknown time zone 'Mars/Olympus'"),
        ("    start: 2026-01-05", "    start: 2026-02-30", 19, "rotations[0].start"),
        (
            '    channel: "#ops"',
            '    channel: "#ops"\n    handoff: {time: "25:00"}',
            18,
            "rotations[0].handoff.time",
        ),
        (
            '    channel: "#ops"',
            '    channel: "#ops"\n    handoff: {time: 9:30}',
            18,
            'write the time in quotes, like "09:00"',
        ),
        (
            '    channel: "#ops"',
            '    channel: "#ops"\n    handoff: {weekday: funday}',
            18,
            "rotations[0].handoff.weekday",
        ),
        ("    secondary: ben\n", "    secondary: ann\n", 14, "secondary owner must differ"),
        ("  - id: ben\n", "  - id: ann\n", 6, "duplicate person id 'ann'"),
        (
            "    name: Sales Pipeline\n",
            "    name: Sales Pipeline\n    name: Other\n",
            12,
            "duplicate key 'name'",
        ),
        ("    area: sales\n", "    area: sales\n    colour: blue\n", 13, "unknown field"),
        (
            "timezone: Europe/London\n",
            "timezone: Europe/London\nholidays: {country: XX}\n",
            2,
            "unknown holiday country 'XX'",
        ),
        (
            "timezone: Europe/London\n",
            "timezone: Europe/London\nholidays: {pinned: {2026-05-26: ann}}\n",
            2,
            "2026-05-26 is not a holiday of US (near: 2026-05-25 Memorial Day)",
        ),
        ("    email: ann@example.com\n", "", 3, "ann needs a slack_id or an email"),
        (
            "    secondary: ben\n",
            "    secondary: ben\n    runbook: ../../etc/passwd\n",
            15,
            "must be a plain .md file",
        ),
        ("    secondary: ben\n", "    secondary: ben\n    runbook: missing.md\n", 15, "no such runbook"),
    ],
)
def test_invalid_files_name_the_line_and_the_problem(old: str, new: str, line: int, says: str) -> None:
    assert old in MINIMAL
    message = problems(MINIMAL.replace(old, new, 1))
    assert says in message
    assert f"team.yaml:{line}:" in message


def test_yaml_syntax_error_has_line_and_column() -> None:
    message = problems("people:\n  - id: [unclosed\n")
    assert message.startswith("team.yaml:3: not valid YAML, column 1:")


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "42\n"])
def test_top_level_must_be_a_mapping(text: str) -> None:
    assert "must be a mapping" in problems(text)


def test_all_problems_are_listed_at_once() -> None:
    text = MINIMAL.replace("secondary: ben", "secondary: zed").replace(
        "members: [ann, ben]", "members: [ann, yan]"
    )
    message = problems(text)
    assert "zed" in message and "yan" in message


def test_backup_pairs_must_cover_every_member() -> None:
    text = MINIMAL.replace(
        "    members: [ann, ben]", "    members: [ann, ben]\n    backup:\n      - {primary: ann, backup: ben}"
    )
    assert "no backup given for ben" in problems(text)


def test_alias_clash_between_pipelines() -> None:
    text = MINIMAL + ""
    text = text.replace(
        "rotations:",
        "  - key: sales-daily\n    name: Daily Sales\n    area: sales\n    primary: ann\n    secondary: ben\n"
        "    aliases: [Sales Pipeline]\nrotations:",
    )
    assert "alias 'Sales Pipeline' already names pipeline 'sales'" in problems(text)


@pytest.mark.parametrize("text", [WEEK6, (ROOT / "examples" / "week5-team.yaml").read_text(), MINIMAL])
def test_dump_round_trips(text: str) -> None:
    team = parse_team_file(text, runbooks_dir=RUNBOOKS)
    assert parse_team_file(dump_team_file(team), runbooks_dir=RUNBOOKS) == team


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(TeamFileError, match="cannot read the file"):
        load_team_file(tmp_path / "missing.yaml")
