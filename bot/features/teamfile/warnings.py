"""What a team file leaves to a default that is probably not what the team means: said at import,
so that nobody learns of it from a handoff at midnight UTC or an empty month-end checklist."""

from __future__ import annotations

from pathlib import Path

from bot.core.month_end import checklist_items
from bot.core.runbooks.parse import RunbookError
from bot.core.team import TeamFile
from bot.features.oncall.runbooks import load_runbook


def team_file_warnings(team: TeamFile, *, runbooks_dir: Path) -> list[str]:
    """One line per default taken silently; empty when the file says everything it needs to."""
    found = []
    if "timezone" not in team.model_fields_set:
        found.append("timezone: not given, so handoffs and holidays follow UTC; set e.g. America/New_York")
    for i, rotation in enumerate(team.rotations):
        if rotation.unit == "weekly" and "weekday" not in rotation.handoff.model_fields_set:
            found.append(
                f"rotations[{i}].handoff.weekday: not given, so {rotation.name} hands off on Mondays"
            )
    for i, pipeline in enumerate(team.pipelines):
        if pipeline.investor_facing and not _checklist(pipeline.runbook, runbooks_dir):
            found.append(
                f"pipelines[{i}]: {pipeline.key} is investor-facing but its runbook has no checklist items, "
                "so its month-end checklist would be empty; add a `## Month-end checklist` section of bullets"
            )
    return found


def _checklist(runbook: str | None, runbooks_dir: Path) -> list[str]:
    try:
        return checklist_items(load_runbook(runbooks_dir, runbook)) if runbook else []
    except RunbookError:
        return []  # an unreadable runbook is an error of its own, reported by the import
