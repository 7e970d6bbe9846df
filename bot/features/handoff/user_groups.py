"""A rotation's Slack user group (e.g. @data-oncall) holding whoever is primary and backup right now,
re-pointed each time they change: at the handoff, at a holiday's start and end, for an absence or a
swap. Each change is its own ledger entry, apart from any post, so it is made once across replicas
and tried again until Slack has it, even when the handoff post is held or was skipped."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule import resolve, shift_at
from bot.core.schedule.model import Role, Rotation, Segment, Shift
from bot.delivery.outbox import REFUSED_RETRY, call_once
from bot.features.oncall.views import TeamView, schedule_inputs

log = logging.getLogger(__name__)
JOB = "user-group"


@dataclass(frozen=True)
class Pair:
    """The primary and backup over [start, end), neither changing."""

    primary: str | None
    backup: str | None
    start: datetime
    end: datetime


def pairs(segments: Sequence[Segment], start: datetime, end: datetime) -> list[Pair]:
    """Who is primary and backup over [start, end), holiday covers included, oldest first."""
    cuts = sorted({start, *(s.start for s in segments if start < s.start < end)})
    found: list[Pair] = []
    for cut, until in zip(cuts, [*cuts[1:], end], strict=True):
        primary, backup = (_person_at(segments, role, cut) for role in (Role.PRIMARY, Role.BACKUP))
        if found and (found[-1].primary, found[-1].backup) == (primary, backup):
            found[-1] = Pair(primary, backup, found[-1].start, until)
        else:
            found.append(Pair(primary, backup, cut, until))
    return found


def _person_at(segments: Sequence[Segment], role: Role, at: datetime) -> str | None:
    return next((s.person for s in segments if s.role is role and s.start <= at < s.end), None)


@dataclass(frozen=True)
class GroupUpdate:
    rotation: str
    group: str  # the user group's id
    users: tuple[str, ...]  # the Slack ids of the pair
    since: datetime  # when the pair takes over
    until: datetime  # and hands over

    @property
    def key(self) -> str:
        return f"group:{self.rotation}:{self.since.astimezone(UTC):%Y-%m-%dT%H:%MZ}"

    def current(self, now: datetime) -> bool:
        return self.since <= now < self.until


def group_update(
    view: TeamView, rotation: Rotation, segments: Sequence[Segment], shift: Shift, at: datetime
) -> GroupUpdate | None:
    """Who the rotation's user group holds at `at`, from the shift's segments; None without a group."""
    group = view.config(rotation.name).user_group
    if group is None:
        return None
    [pair] = [p for p in pairs(segments, shift.start, shift.end) if p.start <= at < p.end]
    people = (view.people.get(p) for p in (pair.primary, pair.backup) if p)
    users = tuple(p.slack_id for p in people if p and p.slack_id)
    return GroupUpdate(rotation.name, group, users, pair.start, pair.end)


async def current_groups(session: AsyncSession, *, view: TeamView, at: datetime) -> list[GroupUpdate]:
    """Who each rotation's user group should hold at `at`."""
    found = []
    for rotation in view.rotations.values():
        shift = shift_at(rotation, at)
        if view.config(rotation.name).user_group is None or shift is None:
            continue
        inputs = await schedule_inputs(
            session, view=view, rotation=rotation, start=shift.start, end=shift.end
        )
        segments = resolve(rotation, shift.start, shift.end, inputs).segments
        if update := group_update(view, rotation, segments, shift, at):
            found.append(update)
    return found


async def follow_once(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    update: GroupUpdate,
    *,
    owner: str,
    now: datetime,
) -> str:
    """Point the user group at the pair unless the ledger says it was; the outcomes of `call_once`."""
    if not update.users:  # Slack refuses an empty group; the missing Slack ids are warned of elsewhere
        log.debug("%s: nobody on call has a Slack id, the user group is left as it is", update.key)
        return "nobody to point at"

    async def point() -> tuple[str, str]:
        await client.usergroups_users_update(usergroup=update.group, users=",".join(update.users))
        return update.group, ""

    outcome = await call_once(
        sessions,
        point,
        key=update.key,
        job=JOB,
        target=update.group,
        owner=owner,
        now=now,
        hold=REFUSED_RETRY,
    )
    log.log(logging.INFO if outcome == "sent" else logging.DEBUG, "%s: %s", update.key, outcome)
    return outcome
