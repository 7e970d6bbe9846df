"""The weekly handoff post: outgoing and incoming primary and backup, the coming shift's holidays
and who covers them, the swaps and absences in force and the swap requests still waiting; and
sending any post once through the ledger, as every scheduled post and incident message is."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.schedule import resolve, shift_at, shifts
from bot.schedule.model import HolidayDuty, Reason, Role, Rotation, Segment, Shift
from bot.services.incidents import HandoffIncidents, handoff_report
from bot.services.oncall import TeamView, schedule_inputs
from bot.slack.client import CONNECTION_ERRORS, failure_reason, refusal_hint
from bot.store import ledger
from bot.store.handoff_notes import notes_for
from bot.store.swaps import SwapRequest, pending_in

log = logging.getLogger(__name__)
JUST_BEFORE = timedelta(microseconds=1)


@dataclass(frozen=True)
class Handoff:
    rotation: Rotation
    channel: str
    at: datetime
    until: datetime
    outgoing: tuple[Segment | None, Segment | None]
    incoming: tuple[Segment | None, Segment | None]
    duties: list[HolidayDuty]  # holidays of the coming shift
    changes: list[Segment]  # swaps, absences, volunteers and overrides in force during it
    pending_swaps: list[SwapRequest]  # requests still waiting for the teammate's answer
    notes: list[tuple[str, str]]  # (author, text) left by the outgoing primary
    user_group: str | None  # a Slack user group that follows who is on call
    incidents: HandoffIncidents  # open now, and resolved during the outgoing shift

    @property
    def key(self) -> str:
        day = self.at.astimezone(ZoneInfo(self.rotation.timezone)).date()
        return f"handoff:{self.rotation.name}:{day.isoformat()}"


async def build_handoff(
    session: AsyncSession, *, view: TeamView, rotation: Rotation, shift: Shift
) -> Handoff:
    """Everything the post for the handoff that starts `shift` says."""
    before = shift.start - JUST_BEFORE
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=before, end=shift.end)
    resolution = resolve(rotation, before, shift.end, inputs)
    local_day = shift.start.astimezone(ZoneInfo(rotation.timezone)).date()
    coming = [s for s in resolution.segments if s.end > shift.start]
    previous = shift_at(rotation, before)
    outgoing_start = previous.start if previous else shift.start - (shift.end - shift.start)
    return Handoff(
        rotation=rotation,
        channel=view.config(rotation.name).channel,
        at=shift.start,
        until=shift.end,
        outgoing=(resolution.at(before, Role.PRIMARY), resolution.at(before, Role.BACKUP)),
        incoming=(resolution.at(shift.start, Role.PRIMARY), resolution.at(shift.start, Role.BACKUP)),
        duties=[d for d in resolution.duties if d.holiday.day >= local_day],
        changes=[s for s in coming if s.reason not in (Reason.ROTATION, Reason.HOLIDAY)],
        pending_swaps=await pending_in(session, rotation=rotation.name, after=shift.start),
        notes=await notes_for(session, rotation=rotation.name, handoff_at=shift.start),
        user_group=view.config(rotation.name).user_group,
        incidents=await handoff_report(session, view=view, since=outgoing_start, until=shift.start),
    )


async def handoffs_between(
    session: AsyncSession, *, view: TeamView, since: datetime, until: datetime, rotation: str | None = None
) -> list[Handoff]:
    """The handoffs that happen in (since, until], oldest first."""
    found = []
    for rot in view.select(rotation):
        for shift in shifts(rot, since, until + JUST_BEFORE):
            if since < shift.start <= until:
                found.append(await build_handoff(session, view=view, rotation=rot, shift=shift))
    return sorted(found, key=lambda h: h.at)


async def send_once(
    sessions: async_sessionmaker[AsyncSession],
    client: AsyncWebClient,
    *,
    key: str,
    job: str,
    channel: str,
    blocks: list[dict],  # type: ignore[type-arg]
    text: str,
    owner: str,
    now: datetime,
    thread_of: str | None = None,
    hold: timedelta = timedelta(0),
) -> str:
    """Post unless the ledger says it was posted; "sent", "already sent", "waiting: why", "held: why"
    or "failed: why".

    With `thread_of` (another post's ledger key) the post is a reply in that post's thread. A refusal
    no retry changes (the bot not in the channel, a revoked token) is logged once, with what to do,
    and the post is not tried again for `hold`; any other failure gives it up for the next attempt.
    """
    thread_ts = None
    async with sessions() as session:
        if thread_of is not None:
            parent = await ledger.posted(session, thread_of)
            if parent is None:
                return f"waiting: {thread_of} is not posted yet"
            channel, thread_ts = parent
        if not await ledger.claim(session, key=key, job=job, owner=owner, now=now):
            until = await ledger.held_until(session, key)
            return f"held: Slack refused it; next try at {until:%H:%M} UTC" if until else "already sent"
    try:
        answer = await client.chat_postMessage(channel=channel, blocks=blocks, text=text, thread_ts=thread_ts)
    except SlackApiError as error:
        reason = failure_reason(error)
        hint = refusal_hint(reason, channel)
        if hint is None:
            return await _give_up(sessions, key, channel, reason)
        return await _hold(sessions, key, channel, reason, hint, until=now + hold)
    except CONNECTION_ERRORS as error:
        return await _give_up(sessions, key, channel, str(error) or type(error).__name__)
    async with sessions() as session:
        await ledger.mark_sent(session, key=key, channel=answer["channel"], ts=answer["ts"], now=now)
    return "sent"


async def _give_up(sessions: async_sessionmaker[AsyncSession], key: str, channel: str, reason: str) -> str:
    async with sessions() as session:
        await ledger.release(session, key=key)
    log.error("post %s to %s failed, will be tried again: %s", key, channel, reason)
    return f"failed: {reason}"


async def _hold(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    channel: str,
    reason: str,
    hint: str,
    *,
    until: datetime,
) -> str:
    async with sessions() as session:
        again = await ledger.hold(session, key=key, until=until)
    if again:
        log.info("post %s to %s still refused: %s", key, channel, reason)
    else:
        log.error("post %s to %s refused by Slack: %s; %s", key, channel, reason, hint)
    return f"failed: {reason}"
