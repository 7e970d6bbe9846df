"""The weekly handoff post: outgoing and incoming primary and backup, the coming shift's holidays
and who covers them, the swaps and absences in force and the swap requests still waiting; and
sending any post once through the ledger, as every scheduled post and incident message is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.holders import Holders, incoming, outgoing
from bot.core.schedule import resolve, shift_at, shifts
from bot.core.schedule.model import HolidayDuty, Reason, Rotation, Segment, Shift
from bot.delivery.outbox import call_once
from bot.features.handoff.user_groups import GroupUpdate, group_update
from bot.features.incidents.service import HandoffIncidents, handoff_report
from bot.features.oncall.views import TeamView, schedule_inputs
from bot.store import ledger
from bot.store.handoff_notes import notes_for
from bot.store.swaps import SwapRequest, pending_in

JUST_BEFORE = timedelta(microseconds=1)


@dataclass(frozen=True)
class Handoff:
    rotation: Rotation
    channel: str
    at: datetime
    until: datetime
    outgoing: Holders  # each role's holder at the end of the outgoing shift, holiday covers aside
    incoming: Holders  # and at the start of the coming one
    duties: list[HolidayDuty]  # holidays of the coming shift
    changes: list[Segment]  # swaps, absences, volunteers and overrides in force during it
    pending_swaps: list[SwapRequest]  # requests still waiting for the teammate's answer
    notes: list[tuple[str, str]]  # (author, text) left by the outgoing primary
    group: GroupUpdate | None  # the rotation's user group, pointed at who takes over
    incidents: HandoffIncidents  # open now, and resolved during the outgoing shift

    @property
    def key(self) -> str:
        day = self.at.astimezone(ZoneInfo(self.rotation.timezone)).date()
        return f"handoff:{self.rotation.name}:{day.isoformat()}"


async def build_handoff(
    session: AsyncSession, *, view: TeamView, rotation: Rotation, shift: Shift
) -> Handoff:
    """Everything the post for the handoff that starts `shift` says."""
    previous = shift_at(rotation, shift.start - JUST_BEFORE)
    outgoing_start = previous.start if previous else shift.start - (shift.end - shift.start)
    inputs = await schedule_inputs(session, view=view, rotation=rotation, start=outgoing_start, end=shift.end)
    resolution = resolve(rotation, outgoing_start, shift.end, inputs)
    segments = resolution.segments
    local_day = shift.start.astimezone(ZoneInfo(rotation.timezone)).date()
    coming = [s for s in segments if s.end > shift.start]
    return Handoff(
        rotation=rotation,
        channel=view.config(rotation.name).channel,
        at=shift.start,
        until=shift.end,
        outgoing=outgoing(segments, outgoing_start, shift.start),
        incoming=incoming(segments, shift.start, shift.end),
        duties=[d for d in resolution.duties if d.holiday.day >= local_day],
        changes=[s for s in coming if s.reason not in (Reason.ROTATION, Reason.HOLIDAY)],
        pending_swaps=await pending_in(session, rotation=rotation.name, after=shift.start),
        notes=await notes_for(session, rotation=rotation.name, handoff_at=shift.start),
        group=group_update(view, rotation, segments, shift, shift.start),
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
    """Post unless the ledger says it was posted: the outcomes of `call_once`, or "waiting: why".

    With `thread_of` (another post's ledger key) the post is a reply in that post's thread.
    """
    thread_ts = None
    if thread_of is not None:
        async with sessions() as session:
            parent = await ledger.posted(session, thread_of)
        if parent is None:
            return f"waiting: {thread_of} is not posted yet"
        channel, thread_ts = parent

    async def post() -> tuple[str, str]:
        answer = await client.chat_postMessage(channel=channel, blocks=blocks, text=text, thread_ts=thread_ts)
        return answer["channel"], answer["ts"]

    return await call_once(sessions, post, key=key, job=job, target=channel, owner=owner, now=now, hold=hold)
