"""Runbooks parse, report their problems plainly, and never reach outside their folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bot.features.oncall.runbooks import load_all, load_runbook

from bot.core.runbooks.parse import RunbookError, Section, parse_runbook

RUNBOOKS = Path(__file__).resolve().parents[2] / "runbooks"


def test_every_shipped_runbook_parses() -> None:
    found, problems = load_all(RUNBOOKS)
    assert problems == []
    assert set(found) == {
        "profit",
        "profit-unit",
        "growth",
        "growth-daily",
        "engagement",
        "engagement-daily",
        "aggregated",
    }


@pytest.mark.parametrize("key", ["profit", "growth", "engagement", "aggregated"])
def test_investor_facing_runbooks_are_complete(key: str) -> None:
    runbook = load_runbook(RUNBOOKS, f"{key}.md")
    for name in (
        "Description",
        "Data sources",
        "Potential issues",
        "SLAs",
        "On-call actions",
        "Month-end checklist",
    ):
        assert runbook.section(name) is not None, name


@pytest.mark.parametrize("name", ["slas", "SLAs", " SLAS "])
def test_section_lookup_ignores_case(name: str) -> None:
    section = load_runbook(RUNBOOKS, "growth.md").section(name)
    assert section is not None and "2 business days" in section.body


def test_section_lookup_ignores_punctuation() -> None:
    section = load_runbook(RUNBOOKS, "profit.md").section("on call actions")
    assert section is not None and section.title == "On-call actions"


@pytest.mark.parametrize("key", ["profit-unit", "growth-daily", "engagement-daily"])
def test_daily_runbooks_say_what_to_check(key: str) -> None:
    runbook = load_runbook(RUNBOOKS, f"{key}.md")
    assert [s.title for s in runbook.sections] == ["Purpose", "Owners", "Data sources", "What to check"]


def test_sections_keep_their_markdown_and_windows_line_ends_are_read() -> None:
    lines = ["---", "key: x", "title: X", "aliases: [ex]", "---", "Intro.", "## First", "- a", "### Sub", "b"]
    text = "\ufeff" + "\r\n".join([*lines, "## Second", ""])
    runbook = parse_runbook(text, source="x.md")
    assert (runbook.key, runbook.title, runbook.aliases) == ("x", "X", ("ex",))
    assert runbook.sections == (Section("First", "- a\n### Sub\nb"), Section("Second", ""))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("## Only a section\nbody", "no front matter"),
        ("---\nkey: [unclosed\n---\n## A\nb", "not valid YAML"),
        ("---\ntitle: No key\n---\n## A\nb", "needs a key and a title"),
        ("---\nkey: x\ntitle: X\naliases: 3\n---\n## A\nb", "aliases must be a list"),
        ("---\nkey: x\ntitle: X\n---\nno sections here", "no sections"),
        ("---\n---\n## A\nb", "needs key: and title: lines"),
        ("---\nkey: x\ntitle: '  '\n---\n## A\nb", "needs a key and a title"),
        ("---\nkey: Growth Pipeline\ntitle: X\n---\n## A\nb", "key 'Growth Pipeline' must be lowercase"),
        ("---\nkey: x\ntitle: X\n## A\nb", "no front matter"),
    ],
)
def test_broken_runbooks_say_why(text: str, says: str) -> None:
    with pytest.raises(RunbookError, match=says):
        parse_runbook(text, source="x.md")


@pytest.mark.parametrize(
    "name",
    [
        "../README.md",
        "..",
        "/etc/passwd",
        "sub/dir.md",
        "growth",
        "growth.md\x00",
        "growth.md\n",
        ".hidden.md",
        "..%2fREADME.md",
        "C:\\runbooks\\growth.md",
        "a" * 300 + ".md",
    ],
)
def test_names_never_leave_the_folder(name: str) -> None:
    with pytest.raises(RunbookError):
        load_runbook(RUNBOOKS, name)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("---\nkey: secret\ntitle: S\n---\n## A\nb")
    folder = tmp_path / "runbooks"
    folder.mkdir()
    os.symlink(tmp_path / "secret.md", folder / "secret.md")
    with pytest.raises(RunbookError, match="outside"):
        load_runbook(folder, "secret.md")


def test_key_must_match_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nkey: b\ntitle: B\n---\n## A\nb")
    with pytest.raises(RunbookError, match="does not match"):
        load_runbook(tmp_path, "a.md")
    found, problems = load_all(tmp_path)
    assert found == {} and len(problems) == 1
