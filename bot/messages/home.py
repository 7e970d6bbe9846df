"""Block Kit for the App Home tab: my shifts, my pipelines, who is on call now, what waits for me."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.team import Person
from bot.features.oncall.people import PersonSummary
from bot.features.oncall.views import OnCall
from bot.messages.common import context, divider, header, section
from bot.messages.oncall import now_blocks, person_blocks

Blocks = list[dict[str, Any]]
HOME_BLOCK_LIMIT = 100


def home_view(
    *,
    now: Sequence[OnCall],
    people: Mapping[str, Person],
    summary: PersonSummary | None,
    zone: str,
    waiting: Sequence[str] = (),
) -> dict[str, Any]:
    """The Home tab of one user; `waiting` lines are things that need them (requests to answer)."""
    blocks: Blocks = []
    if summary is None:
        blocks += [
            header("oncall-bot"),
            section(
                "You are not in the team file, so you have no shifts. Ask an admin to add your Slack id."
            ),
        ]
    else:
        blocks += person_blocks(summary, people, zone=zone, is_self=True)
    blocks += [divider(), *now_blocks(now, people)]
    blocks += [divider(), header("Waiting for you")]
    blocks += [section(line) for line in waiting[:20]] or [section("_Nothing is waiting for you._")]
    blocks.append(context("Type `/oncall help` in any channel for everything the bot does."))
    return {"type": "home", "blocks": blocks[:HOME_BLOCK_LIMIT]}
