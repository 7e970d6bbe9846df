"""Block Kit for `/oncall calendar`."""

from __future__ import annotations

from typing import Any

from bot.features.calendar.feeds import FeedLinks
from bot.messages.common import context, section

Blocks = list[dict[str, Any]]


def calendar_blocks(links: FeedLinks | None, *, revoked: int) -> Blocks:
    if links is None:
        if not revoked:
            return [section("You have no calendar links to revoke. `/oncall calendar` makes new ones.")]
        return [
            section(f"Revoked {revoked} calendar link{'s' if revoked != 1 else ''}: they no longer work."),
            context("Type `/oncall calendar` for new ones."),
        ]
    if links.personal is None:
        return [
            section(
                "You already have calendar links. Only a fingerprint of them is kept, so they can't be "
                "shown again. `/oncall calendar reset` revokes them; then `/oncall calendar` makes new ones."
            )
        ]
    lines = [f"*Your shifts:* {links.personal}"]
    lines += [f"*Whole rotation {name}:* {url}" for name, url in links.rotations.items()]
    return [
        section(
            ":calendar: Subscribe to these in Google Calendar (“From URL”) or Outlook "
            "(“Subscribe from web”):\n" + "\n".join(lines)
        ),
        context(
            "Keep them private: anyone with a link can read the schedule. "
            "This is the only time they are shown."
        ),
    ]
