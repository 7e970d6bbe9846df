"""Reading a team file: YAML in, a validated TeamFile out, or every problem with its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.team import TeamFile
from bot.features.teamfile.messages import error_loc, error_message
from bot.features.teamfile.nodes import TeamFileLoader, duplicate_keys, line_of, path_text, too_many_values
from bot.features.teamfile.validate import cross_check


@dataclass(frozen=True)
class Problem:
    where: str  # "pipelines[2].primary"; empty for the file as a whole
    line: int | None
    message: str


class TeamFileError(Exception):
    """An invalid team file, with every problem found; str() gives one line per problem."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        super().__init__(source)
        self.source, self.problems = source, list(problems)

    def __str__(self) -> str:
        return "\n".join(
            f"{self.source}{f':{p.line}' if p.line else ''}: {p.where + ': ' if p.where else ''}{p.message}"
            for p in self.problems
        )


def _read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any, list[Problem]]:
    """The node tree, the plain data, and the duplicate keys PyYAML alone would let through."""
    loader = TeamFileLoader(text)
    try:
        root = loader.get_single_node()
        if too_many_values(root):
            raise TeamFileError(source, [Problem("", 1, "aliases expand to too many values")])
        duplicates = [
            Problem(path_text(d.loc), d.line, f"duplicate key {d.key!r}") for d in duplicate_keys(root)
        ]
        return root, (loader.construct_document(root) if root else None), duplicates
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        column = f", column {mark.column + 1}" if mark else ""
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        line = mark.line + 1 if mark else None
        raise TeamFileError(source, [Problem("", line, f"not valid YAML{column}: {problem}")]) from None
    except RecursionError:
        raise TeamFileError(source, [Problem("", None, "the YAML is nested too deeply")]) from None
    finally:
        loader.dispose()


def parse_team_file(text: str, *, source: str = "<team file>", runbooks_dir: Path | None = None) -> TeamFile:
    """Validate a whole team file; TeamFileError lists every problem found."""
    root, data, problems = _read_yaml(text, source)
    if not isinstance(data, dict):
        message = "the file must be a mapping with timezone, holidays, people, pipelines and rotations"
        raise TeamFileError(source, [*problems, Problem("", 1, message)])
    try:
        team = TeamFile.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            loc = error_loc(item)
            problems.append(Problem(path_text(loc), line_of(root, loc), error_message(item)))
        raise TeamFileError(source, problems) from None
    for loc, message in cross_check(team, runbooks_dir=runbooks_dir):
        problems.append(Problem(path_text(loc), line_of(root, loc), message))
    if problems:
        raise TeamFileError(source, problems)
    return team


def load_team_file(path: Path, *, runbooks_dir: Path | None = None) -> TeamFile:
    """Read and validate the team file at `path`; TeamFileError lists every problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TeamFileError(str(path), [Problem("", None, f"cannot read the file: {error}")]) from None
    return parse_team_file(text, source=str(path), runbooks_dir=runbooks_dir)
