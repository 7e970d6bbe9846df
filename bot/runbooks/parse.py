"""Runbook files: YAML front matter (key, title, aliases), then `## ` sections of Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.md$")


class RunbookError(Exception):
    """A runbook that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class Section:
    title: str
    body: str


@dataclass(frozen=True)
class Runbook:
    key: str
    title: str
    aliases: tuple[str, ...]
    sections: tuple[Section, ...]

    def section(self, name: str) -> Section | None:
        wanted = name.strip().lower()
        return next((s for s in self.sections if s.title.lower() == wanted), None)


def parse_runbook(text: str, *, source: str) -> Runbook:
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise RunbookError(f"{source}: no front matter (start the file with --- key/title --- lines)")
    try:
        meta = yaml.safe_load(match[1])
    except yaml.YAMLError as error:
        raise RunbookError(f"{source}: the front matter is not valid YAML: {error}") from None
    if (
        not isinstance(meta, dict)
        or not isinstance(meta.get("key"), str)
        or not isinstance(meta.get("title"), str)
    ):
        raise RunbookError(f"{source}: the front matter needs a key and a title")
    aliases = meta.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RunbookError(f"{source}: aliases must be a list of names")
    parts = re.split(r"^## +(.+?)\s*$", match[2], flags=re.MULTILINE)
    sections = tuple(
        Section(title.strip(), body.strip()) for title, body in zip(parts[1::2], parts[2::2], strict=True)
    )
    if not sections:
        raise RunbookError(f"{source}: no sections (start each with a '## ' heading)")
    return Runbook(meta["key"], meta["title"], tuple(aliases), sections)


def load_runbook(runbooks_dir: Path, filename: str) -> Runbook:
    """Read a runbook by file name; only a plain .md file directly inside the folder is allowed."""
    if not FILE_NAME.match(filename):
        raise RunbookError(f"{filename!r} is not a runbook file name (a plain name ending in .md)")
    folder = runbooks_dir.resolve()
    path = (folder / filename).resolve()
    if path.parent != folder:
        raise RunbookError(f"{filename!r} is outside {runbooks_dir}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunbookError(f"{runbooks_dir / filename}: no such runbook") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunbookError(f"{runbooks_dir / filename}: cannot be read: {error}") from None
    runbook = parse_runbook(text, source=str(runbooks_dir / filename))
    if runbook.key != filename.removesuffix(".md"):
        raise RunbookError(f"{runbooks_dir / filename}: its key {runbook.key!r} does not match the file name")
    return runbook


def load_all(runbooks_dir: Path) -> tuple[dict[str, Runbook], list[RunbookError]]:
    """Every runbook of the folder, and the problems of those that failed (reported at start-up)."""
    found: dict[str, Runbook] = {}
    problems: list[RunbookError] = []
    for path in sorted(runbooks_dir.glob("*.md")):
        try:
            runbook = load_runbook(runbooks_dir, path.name)
        except RunbookError as error:
            problems.append(error)
            continue
        found[runbook.key] = runbook
    return found, problems
