"""Direct messages to the people whose shifts a change of the team file moved, each sent once.

The key names the new team file by its fingerprint, so every replica that notices the same change
claims the same ledger entries and each person is told once.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.post import Post
from bot.features.oncall.roster import roster_changes
from bot.features.oncall.views import TeamView
from bot.messages.roster import roster_change_blocks

log = logging.getLogger(__name__)


def team_fingerprint(view: TeamView) -> str:
    """Names a team file as far as shifts go: equal fingerprints, no new file to tell anyone about."""
    # Without Slack ids: they move no shift, and one found by email may reach replicas at different
    # times, which must still name the same change alike.
    team = view.file.model_dump_json(exclude={"people": {"__all__": {"slack_id"}}})
    return hashlib.sha256(team.encode()).hexdigest()[:16]


async def roster_posts(session: AsyncSession, *, old: TeamView, new: TeamView, at: datetime) -> list[Post]:
    people = {**old.people, **new.people}  # someone removed from the team is told too
    posts = []
    for moved in await roster_changes(session, old=old, new=new, at=at):
        person = people.get(moved.person)
        if person is None or person.slack_id is None:
            log.warning("no Slack id for %s: not told that their shifts moved", moved.person)
            continue
        rotation = (moved.gained or moved.lost)[0].rotation
        zone = (new.rotations.get(rotation) or old.rotations[rotation]).timezone
        posts.append(
            Post(
                key=f"roster:{team_fingerprint(new)}:{moved.person}",
                job="roster",
                rotation=rotation,
                channel=person.slack_id,
                blocks=roster_change_blocks(moved, zone),
                text="Your on-call shifts changed",
                due=at,
            )
        )
    return posts
