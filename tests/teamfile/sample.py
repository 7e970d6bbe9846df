"""A small valid team file, the runbooks it names, and a way to see what an edited copy is refused for."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.features.teamfile.loader import Problem, TeamFileError, parse_team_file

# Line numbers matter: the tables that edit this text name the line each problem must point at.
BASE = """\
timezone: Europe/London
holidays:
  country: GB
  pinned:
    2026-12-25: ann
people:
  - id: ann
    name: Ann
    email: ann@example.com
  - id: ben
    name: Ben
    slack_id: U0BEN0001
  - id: cat
    name: Cat
    slack_id: U0CAT0001
  - id: dee
    name: Dee
    email: dee@example.com
pipelines:
  - key: sales
    name: Sales Pipeline
    area: sales
    primary: ann
    secondary: ben
    runbook: sales.md
    aliases: [revenue]
    escalation: [cat]
  - key: sales-daily
    name: Daily Sales
    area: sales
    primary: ben
    secondary: cat
rotations:
  - name: ops
    channel: "#ops"
    members: [ann, ben, cat]
    backup: next
    handoff:
      weekday: monday
      time: "09:00"
    start: 2026-01-05
"""

RUNBOOKS = {
    "sales.md": "---\nkey: sales\ntitle: Sales\n---\n## What to check\n- the nightly run\n",
    "broken.md": "## A section, but no front matter\n",
    "other.md": "---\nkey: sales\ntitle: Sales again\n---\n## What to check\n- nothing\n",
}


def write_runbooks(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in RUNBOOKS.items():
        (folder / name).write_text(text)
    return folder


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def refusal(text: str, runbooks_dir: Path | None) -> tuple[str, list[Problem]]:
    """The error text and problems parse_team_file gives for `text`, which it must refuse."""
    with pytest.raises(TeamFileError) as error:
        parse_team_file(text, source="team.yaml", runbooks_dir=runbooks_dir)
    return str(error.value), error.value.problems
