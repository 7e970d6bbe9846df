"""Cross checks: every name the file uses must exist, nothing twice, holidays real, runbooks readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.features.teamfile.loader import parse_team_file
from tests.teamfile.sample import edited, refusal

PAIRS = "backup: [{primary: ann, backup: ben}, {primary: ben, backup: cat}, {primary: cat, backup: ann}]"
SECOND_ROTATION = "  - name: ops\n    channel: '#ops2'\n    members: [ben, cat]\n    start: 2026-01-05\n"


@pytest.mark.parametrize(
    ("old", "new", "where", "line", "says"),
    [
        (
            "primary: ann",
            "primary: zed",
            "pipelines[0].primary",
            23,
            "unknown person 'zed' (people: ann, ben, cat, dee)",
        ),
        ("secondary: cat", "secondary: zed", "pipelines[1].secondary", 32, "unknown person 'zed'"),
        ("[cat]", "[zed]", "pipelines[0].escalation[0]", 27, "unknown person 'zed'"),
        ("[ann, ben, cat]", "[ann, ben, zed]", "rotations[0].members[2]", 36, "unknown person 'zed'"),
        ("2026-12-25: ann", "2026-12-25: zed", "holidays.pinned.2026-12-25", 5, "unknown person 'zed'"),
        ("2026-12-25: ann", "2026-12-25: dee", "holidays.pinned.2026-12-25", 5, "dee is in no rotation"),
        ("secondary: cat", "secondary: ben", "pipelines[1].secondary", 32, "the secondary owner must differ"),
        ("  - id: dee", "  - id: ann", "people[3].id", 16, "duplicate person id 'ann' (also people[0])"),
        (
            "U0CAT0001",
            "U0BEN0001",
            "people[2].slack_id",
            15,
            "duplicate slack_id 'U0BEN0001' (also people[1])",
        ),
        ("dee@example.com", "ANN@example.com", "people[3].email", 18, "duplicate email 'ann@example.com'"),
        ("    email: ann@example.com", "    admin: true", "people[0]", 7, "ann needs a slack_id or an email"),
        ("  - key: sales-daily", "  - key: sales", "pipelines[1].key", 28, "duplicate pipeline key 'sales'"),
        ("[revenue]", "[sales-daily]", "pipelines[0].aliases[0]", 26, "'sales-daily' already names pipeline"),
        ("[revenue]", "[daily SALES]", "pipelines[0].aliases[0]", 26, "'daily SALES' already names pipeline"),
        ("[revenue]", "[Pipeline]", "pipelines[0].aliases[0]", 26, "has no letters or digits besides"),
        ("    name: Daily Sales", "    name: Sales", "pipelines[1].name", 29, "name 'Sales' already names"),
        (
            "    secondary: cat",
            "    secondary: cat\n    aliases: [Revenue!]",
            "pipelines[1].aliases[0]",
            33,
            "alias 'Revenue!' already names pipeline 'sales'",
        ),
        (
            "start: 2026-01-05\n",
            "start: 2026-01-05\n" + SECOND_ROTATION,
            "rotations[1].name",
            42,
            "duplicate rotation",
        ),
        ("[ann, ben, cat]", "[ann, ben, ann]", "rotations[0].members[2]", 36, "ann is listed twice"),
        (
            "backup: next",
            PAIRS.replace(", {primary: cat, backup: ann}", ""),
            "rotations[0].backup",
            37,
            "for cat",
        ),
        (
            "backup: next",
            PAIRS.replace("backup: ann}", "backup: dee}"),
            "rotations[0].backup[2].backup",
            37,
            "'dee' is not a member",
        ),
        (
            "backup: next",
            PAIRS.replace("backup: ann}", "backup: zed}"),
            "rotations[0].backup[2].backup",
            37,
            "unknown person 'zed'",
        ),
        (
            "backup: next",
            PAIRS.replace("backup: ann}", "backup: cat}"),
            "rotations[0].backup[2]",
            37,
            "cat cannot be their own backup",
        ),
        (
            "backup: next",
            PAIRS.replace("]", ", {primary: ann, backup: cat}]"),
            "rotations[0].backup[3]",
            37,
            "ann is given a backup twice",
        ),
        ("country: GB", "country: XX", "holidays.country", 3, "unknown holiday country 'XX'"),
        (
            "country: GB",
            "country: GB\n  subdivision: ZZ",
            "holidays.subdivision",
            4,
            "unknown subdivision 'ZZ' of GB",
        ),
        (
            "2026-12-25: ann",
            "2026-12-23: ann",
            "holidays.pinned.2026-12-23",
            5,
            "2026-12-23 is not a public holiday of GB nor a company day (near: 2026-12-25 Christmas Day; "
            "2026-12-26 Boxing Day; 2026-12-28 Boxing Day (observed); 2027-01-01 New Year's Day)",
        ),
        (
            "2026-12-25: ann",
            "2026-03-10: ann",
            "holidays.pinned.2026-03-10",
            5,
            "(the nearest: 2026-04-03 Good Friday)",
        ),
        ("runbook: sales.md", "runbook: gone.md", "pipelines[0].runbook", 25, "gone.md: no such runbook"),
        ("runbook: sales.md", "runbook: broken.md", "pipelines[0].runbook", 25, "broken.md: no front matter"),
        (
            "runbook: sales.md",
            "runbook: other.md",
            "pipelines[0].runbook",
            25,
            "does not match the file name",
        ),
    ],
)
def test_each_inconsistency_is_named_with_its_place_and_line(
    old: str, new: str, where: str, line: int, says: str, runbooks_dir: Path
) -> None:
    text, problems = refusal(edited(old, new), runbooks_dir)
    assert [(p.where, p.line) for p in problems] == [(where, line)], text
    assert says in problems[0].message
    assert text.startswith(f"team.yaml:{line}: {where}: ")


def test_a_single_member_rotation_says_it_needs_two_different_people() -> None:
    _, problems = refusal(edited("[ann, ben, cat]", "[ann, ann]"), None)
    assert [p.message for p in problems] == [
        "ann is listed twice",
        "a rotation needs at least two different members",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("backup: next", PAIRS),
        ("2026-12-25: ann", "2026-12-28: cat"),  # an observed day
        ("  country: GB", "  country: GB\n  subdivision: SCT"),
        ("  pinned:", "  extra: [{date: 2026-08-14, name: Summer party}]\n  pinned:\n    2026-08-14: ben"),
        ("[revenue]", "[revenue, Sales Pipeline, SALES]"),  # its own names again
    ],
)
def test_consistent_variations_pass(old: str, new: str, runbooks_dir: Path) -> None:
    parse_team_file(edited(old, new), runbooks_dir=runbooks_dir)


def test_runbooks_are_only_checked_when_their_folder_is_given() -> None:
    team = parse_team_file(edited("runbook: sales.md", "runbook: gone.md"))
    assert team.pipelines[0].runbook == "gone.md"
