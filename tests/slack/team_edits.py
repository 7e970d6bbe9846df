"""Changes to the example team that some end-to-end tests need, imported as an admin would."""

from __future__ import annotations

from pathlib import Path

from bot.context import AppContext
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team

ROOT = Path(__file__).resolve().parents[2]


async def living_in(ctx: AppContext, person: str, timezone: str) -> None:
    """The Week 6 team, with `person` in another time zone."""
    team = load_team_file(ROOT / "examples" / "week6-team.yaml")
    people = [p.model_copy(update={"timezone": timezone}) if p.id == person else p for p in team.people]
    async with ctx.sessions() as session:
        await import_team(
            session, team=team.model_copy(update={"people": people}), actor="test", source="import"
        )
    ctx.views.invalidate()
