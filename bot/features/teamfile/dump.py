"""Writing a TeamFile back as YAML, in the documented shape, so that import(export) changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from bot.core.team import TeamFile

SECTIONS = ("timezone", "holidays", "people", "pipelines", "rotations")
# Shown even at their defaults: a reader of a rotation needs them to understand it.
ALWAYS = {"country", "backup", "unit", "length", "handoff", "weekday", "time"}


class QuotedTime(str):
    """A handoff time, written "HH:MM" in double quotes (unquoted, YAML reads 10:30 as a number)."""


class TeamFileDumper(yaml.SafeDumper):
    """Block lists indented under their key, short lists of names on one line, dates unquoted."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    names = all(isinstance(item, str) for item in data) and data
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=bool(names))


def _represent_time(dumper: yaml.SafeDumper, data: QuotedTime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # PyYAML folds these line breaks into spaces inside single quotes; double quotes escape them.
    style = '"' if any(ch in data for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


TeamFileDumper.add_representer(list, _represent_list)
TeamFileDumper.add_representer(QuotedTime, _represent_time)
TeamFileDumper.add_representer(str, _represent_text)


def _shown(key: str, value: Any) -> Any:
    """The value as written, or None to leave a field out because it only repeats its default."""
    if key not in ALWAYS and (value is None or value is False or value == [] or value == {}):
        return None
    if isinstance(value, dt.time):
        return QuotedTime(value.strftime("%H:%M"))
    if isinstance(value, dict):
        fields = {k: _shown(k, v) for k, v in value.items()}
        return {k: v for k, v in fields.items() if v is not None}
    if isinstance(value, list):
        return [_shown(key, item) for item in value]
    return value


def dump_team_file(team: TeamFile) -> str:
    """The team as a YAML team file: keys in the documented order, a blank line between sections."""
    data = team.model_dump()
    data["holidays"]["pinned"] = dict(sorted(data["holidays"]["pinned"].items()))
    parts = []
    for section in SECTIONS:
        value = _shown(section, data[section])
        if value is not None:
            parts.append(
                yaml.dump(
                    {section: value}, Dumper=TeamFileDumper, sort_keys=False, allow_unicode=True, width=110
                )
            )
    return "\n".join(parts)
