"""Runbook files: YAML front matter (key, title, aliases), then `## ` sections of Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass

FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)^---[ \t]*$\n?(.*)", re.DOTALL | re.MULTILINE)
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}\.md")
KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
HEADING = re.compile(r"^## +(.+?)[ \t]*$", re.MULTILINE)


class RunbookError(Exception):
    """A runbook that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class Section:
    title: str
    body: str  # the Markdown under the heading


def _plain(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower()).split())


@dataclass(frozen=True)
class Runbook:
    key: str
    title: str
    aliases: tuple[str, ...]
    sections: tuple[Section, ...]

    def section(self, name: str) -> Section | None:
        """The section titled `name`, ignoring case, spacing and punctuation ("on call actions")."""
        wanted = _plain(name)
        return next((s for s in self.sections if _plain(s.title) == wanted), None)


def is_runbook_name(name: str) -> bool:
    """A plain `*.md` file name: no folder, no `..`, nothing hidden."""
    return FILE_NAME.fullmatch(name) is not None


def _front_matter(text: str, source: str) -> tuple[dict[str, object], str]:
    import yaml  # only here: the team's model imports this module for `is_runbook_name` alone

    match = FRONT_MATTER.match(text)
    if match is None:
        raise RunbookError(f"{source}: no front matter (start the file with ---, key: and title: lines, ---)")
    try:
        meta = yaml.safe_load(match[1])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise RunbookError(f"{source}: the front matter is not valid YAML{where}") from None
    if not isinstance(meta, dict):
        raise RunbookError(f"{source}: the front matter needs key: and title: lines")
    return meta, match[2]


def parse_runbook(text: str, *, source: str) -> Runbook:
    """A runbook from its file text; RunbookError says what is missing or malformed."""
    meta, body = _front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n"), source)
    key, title, aliases = meta.get("key"), meta.get("title"), meta.get("aliases") or []
    if not isinstance(key, str) or not isinstance(title, str) or not title.strip():
        raise RunbookError(f"{source}: the front matter needs a key and a title")
    if not KEY.fullmatch(key):
        raise RunbookError(f"{source}: key {key!r} must be lowercase letters, digits, '-' or '_'")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise RunbookError(f"{source}: aliases must be a list of names")
    parts = HEADING.split(body)
    sections = tuple(
        Section(heading.strip(), content.strip())
        for heading, content in zip(parts[1::2], parts[2::2], strict=True)
    )
    if not sections:
        raise RunbookError(f"{source}: no sections (start each with a '## ' heading)")
    return Runbook(key, title.strip(), tuple(a.strip() for a in aliases), sections)
