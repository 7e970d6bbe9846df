"""Changes to the example team that some end-to-end tests need, imported as an admin would."""

from __future__ import annotations

from datetime import time
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


async def daily_in_munich(ctx: AppContext) -> None:
    """The Week 6 people as a team in Munich: Alice, Bob and Carol on a daily rotation handed over at
    08:00, Bavarian holidays."""
    team = load_team_file(ROOT / "examples" / "week6-team.yaml")
    rotation = team.rotations[0].model_copy(
        update={"members": ["alice", "bob", "carol"], "unit": "daily", "start": team.rotations[0].start}
    )
    daily = team.model_copy(
        update={
            "timezone": "Europe/Berlin",
            "holidays": team.holidays.model_copy(update={"country": "DE", "subdivision": "BY", "extra": []}),
            "rotations": [
                rotation.model_copy(update={"handoff": rotation.handoff.model_copy(update={"time": time(8)})})
            ],
        }
    )
    async with ctx.sessions() as session:
        await import_team(session, team=daily, actor="test", source="import")
    ctx.views.invalidate()
