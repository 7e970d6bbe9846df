"""Writing a TeamFile back as YAML, in the documented shape, so that import(export) changes nothing."""

from __future__ import annotations

from typing import Any

import yaml

from bot.teamfile.schema import TeamFile


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def dump_team_file(team: TeamFile) -> str:
    # Defaults are left out, except what a reader of the file needs to see to understand it.
    data = team.model_dump(mode="json", exclude_defaults=True)
    data["timezone"] = team.timezone
    data["holidays"] = {"country": team.holidays.country, **data.get("holidays", {})}
    for rotation, model in zip(data.get("rotations", []), team.rotations, strict=True):
        rotation.update(
            backup=rotation.get("backup", "next"),
            unit=model.unit,
            length=model.length,
            handoff={"weekday": model.handoff.weekday, "time": model.handoff.time.strftime("%H:%M")},
            start=model.start.isoformat(),
        )
    ordered = {
        key: data[key] for key in ("timezone", "holidays", "people", "pipelines", "rotations") if key in data
    }
    return yaml.safe_dump(_clean(ordered), sort_keys=False, allow_unicode=True, width=110)
