"""Slack's users.lookupByEmail, stood in for by the team file: in the shell, everyone the file gives
only an email is "found" under a made-up Slack id, the way `serve` finds them in Slack, so they can
be mentioned, act and press buttons like everyone else."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.context import AppContext
from bot.core.team import Person
from bot.delivery import email_lookups
from bot.shell.client import RecordingClient


def stand_in_id(person_id: str) -> str:
    """A Slack-shaped user id made from the person's id in the team file: alice -> UALICE."""
    return "U" + re.sub(r"[^A-Z0-9]", "", person_id.upper())


def stand_in_directory(people: Sequence[Person]) -> dict[str, str]:
    """Email -> Slack id, as Slack would answer it, for the people who have only an email."""
    return {p.email: stand_in_id(p.id) for p in people if p.email and p.slack_id is None}


async def _unseen(method: str, args: dict[str, Any], answer: dict[str, Any]) -> None:
    """A lookup shows nothing: nobody sees it happen in Slack either."""


async def find_by_email(ctx: AppContext, *, now: datetime) -> list[Person]:
    """Keep a stand-in Slack id for everyone known only by email, through the same lookups `serve`
    makes; the people found."""
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
    directory = stand_in_directory(view.file.people)
    lookups = logging.getLogger(email_lookups.__name__)
    quiet, lookups.disabled = lookups.disabled, True  # its lines would say "found in Slack"
    try:
        await email_lookups.EmailLookups(
            ctx.sessions, ctx.views, RecordingClient(_unseen, directory=directory)
        ).look_up_missing(now=now)
    finally:
        lookups.disabled = quiet
    return [p for p in view.file.people if p.email in directory]
