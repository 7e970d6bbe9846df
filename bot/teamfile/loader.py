"""Reading a team file: YAML in, a validated TeamFile out, or every problem with its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.teamfile.schema import TeamFile
from bot.teamfile.validate import cross_check


class TeamFileLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is reported by the schema with its place."""


TeamFileLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    where: str  # "pipelines[2].primary"
    line: int | None
    message: str


class TeamFileError(Exception):
    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        super().__init__(source)
        self.source, self.problems = source, list(problems)

    def __str__(self) -> str:
        return "\n".join(
            f"{self.source}{f':{p.line}' if p.line else ''}: {p.where + ': ' if p.where else ''}{p.message}"
            for p in self.problems
        )


def path_text(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the YAML node at `loc`, or of its nearest existing parent."""
    node, line = root, (root.start_mark.line + 1 if root else None)
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _duplicates(node: yaml.Node | None, loc: tuple[str | int, ...] = ()) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                where = path_text((*loc, key.value))
                problems.append(Problem(where, key.start_mark.line + 1, f"duplicate key {key.value!r}"))
            seen.add(key.value)
            problems += _duplicates(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems += _duplicates(item, (*loc, i))
    return problems


def _schema_problems(error: ValidationError, root: yaml.Node | None) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(
            p for p in item["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal[")))
        )
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see the README for the fields)"
        elif item["type"] == "missing":
            message = "required field is missing"
        problems.append(Problem(path_text(loc), _line_of(root, loc), message))
    return problems


def parse_team_file(text: str, *, source: str = "<team file>", runbooks_dir: Path | None = None) -> TeamFile:
    """Validate a whole team file; TeamFileError lists every problem found."""
    try:
        root = yaml.compose(text, Loader=TeamFileLoader)
        data: Any = yaml.load(text, Loader=TeamFileLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        raise TeamFileError(
            source, [Problem("", line, f"not valid YAML{column}: {getattr(error, 'problem', error)}")]
        ) from None
    if problems := _duplicates(root):
        raise TeamFileError(source, problems)
    if not isinstance(data, dict):
        raise TeamFileError(
            source, [Problem("", 1, "the file must be a mapping with people, pipelines and rotations")]
        )
    try:
        team = TeamFile.model_validate(data)
    except ValidationError as error:
        raise TeamFileError(source, _schema_problems(error, root)) from None
    problems = [
        Problem(path_text(loc), _line_of(root, loc), msg)
        for loc, msg in cross_check(team, runbooks_dir=runbooks_dir)
    ]
    if problems:
        raise TeamFileError(source, problems)
    return team


def load_team_file(path: Path, *, runbooks_dir: Path | None = None) -> TeamFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TeamFileError(str(path), [Problem("", None, f"cannot read the file: {error}")]) from None
    return parse_team_file(text, source=str(path), runbooks_dir=runbooks_dir)
