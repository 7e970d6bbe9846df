"""`/oncall away`: record, list and take back absences; whoever's shifts change is told after the answer."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import AppContext
from bot.core.team import Person
from bot.delivery import volunteers as volunteer_notices
from bot.delivery.slack_api import CALL_ERRORS
from bot.features.absences import away
from bot.features.absences import service as absences
from bot.features.absences.service import AbsenceCancelled, AbsenceRecorded, Cover
from bot.features.absences.volunteers import VolunteerOffer
from bot.features.oncall.views import TeamView
from bot.messages.absences import (
    absences_list_blocks,
    call_cancelled_blocks,
    cancelled_blocks,
    cancelled_dm_blocks,
    cancelled_notice_blocks,
    covers_notice_blocks,
    gap_notice_blocks,
    recorded_blocks,
    recorded_for_you_blocks,
    volunteer_call_blocks,
)
from bot.messages.common import Blocks, escape
from bot.messages.oncall import usage_blocks
from bot.slack.commands import teammates
from bot.slack.commands.oncall_parse import OncallRequest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """A message for someone else, sent once the command is answered."""

    channel: str
    blocks: Blocks
    text: str
    ts: str | None = None  # update this message in place instead of posting a new one
    call: int | None = None  # the volunteer call this post asks for: where it goes is kept


async def answer(
    session: AsyncSession,
    ctx: AppContext,
    view: TeamView,
    me: Person,
    request: OncallRequest,
    at: datetime,
    notices: list[Notice],
) -> Blocks:
    zone = view.zone_of(me)
    try:
        if request.away == "list":
            return await _list(session, view, me, request, at)
        if request.away == "cancel":
            return await _cancel(session, ctx, view, me, request.absence_id or 0, at, notices)
        target = _target(view, me, request)
        if target is None:
            return usage_blocks(teammates.unknown_teammate(view, _typed(request)))
        assert request.first is not None and request.last is not None
        done = await away.record(
            session,
            view=view,
            actor=me,
            person=target,
            first=request.first,
            last=request.last,
            reason=request.query,
            source=ctx.source,
            at=at,
        )
    except absences.AbsenceRefused as error:
        return usage_blocks(f"Not done: {escape(str(error))}.")
    recorded, offers, calls = done.recorded, done.offers, done.calls
    ctx.views.invalidate()
    notices += _recorded_notices(recorded, view, offers, calls, at)
    return recorded_blocks(recorded, view.people, zone, at)


def _typed(request: OncallRequest) -> str:
    return f"<@{request.slack_id}>" if request.slack_id else request.name


def _target(view: TeamView, me: Person, request: OncallRequest) -> Person | None:
    """Whose absence: mine, or the teammate named (None when nobody in the team is)."""
    typed = _typed(request)
    return teammates.teammate(view, typed) if typed else me


async def _list(
    session: AsyncSession, view: TeamView, me: Person, request: OncallRequest, at: datetime
) -> Blocks:
    """Mine; admins also someone else's, or everyone's."""
    zone = view.zone_of(me)
    target = _target(view, me, request)
    if target is None and not request.everyone:
        return usage_blocks(teammates.unknown_teammate(view, _typed(request)))
    found = await away.listing(session, actor=me, person=target, everyone=request.everyone, at=at)
    whose = None if request.everyone or target is None else target.id
    return absences_list_blocks(found, zone, view.people, reader=me.id, whose=whose)


async def _cancel(
    session: AsyncSession,
    ctx: AppContext,
    view: TeamView,
    me: Person,
    absence_id: int,
    at: datetime,
    notices: list[Notice],
) -> Blocks:
    cancelled = await absences.cancel(
        session, view=view, absence_id=absence_id, actor=me, at=at, source=ctx.source
    )
    ctx.views.invalidate()
    notices += _cancelled_notices(cancelled, view, me)
    return cancelled_blocks(cancelled, view.people, view.zone_of(me))


def _by_rotation(covers: Sequence[Cover]) -> dict[str, list[Cover]]:
    found: dict[str, list[Cover]] = {}
    for cover in covers:
        found.setdefault(cover.rotation, []).append(cover)
    return found


def _recorded_notices(
    recorded: AbsenceRecorded,
    view: TeamView,
    offers: Mapping[str, list[VolunteerOffer]],
    calls: Mapping[str, int],
    at: datetime,
) -> list[Notice]:
    """One message to each person who now covers, and one to each rotation channel affected; the
    channel is asked for a volunteer for every backup stretch the engine had to fill. The person away
    is told too when someone else recorded it."""
    found: list[Notice] = []
    absent = recorded.person.id
    if recorded.actor != absent and recorded.person.slack_id:
        zone = view.zone_of(absent)
        blocks = recorded_for_you_blocks(recorded, view.people, zone, at)
        found.append(Notice(recorded.person.slack_id, blocks, "An absence was recorded for you"))
    for rotation, covers in sorted(_by_rotation(recorded.covers).items()):
        zone = view.rotations[rotation].timezone
        blocks = volunteer_call_blocks(
            absent, covers, view.people, zone, offers.get(rotation, []), written=at
        )
        found.append(
            Notice(
                view.config(rotation).channel,
                blocks,
                f"{escape(recorded.person.name)} is away",
                call=calls.get(rotation),
            )
        )
        for person_id in sorted({c.segment.person for c in covers if c.segment.person}):
            person = view.people.get(person_id)
            if person and person.slack_id:
                mine = [c for c in covers if c.segment.person == person_id]
                blocks = covers_notice_blocks(
                    absent, mine, view.people, view.zone_of(person_id, fallback=zone), at
                )
                found.append(Notice(person.slack_id, blocks, "You now cover a shift"))
    return found + _gap_notices(recorded, view)


def _gap_notices(recorded: AbsenceRecorded, view: TeamView) -> list[Notice]:
    """One direct message to each admin (but the person away) naming the stretches left with nobody."""
    gaps = [c for c in recorded.covers if c.segment.person is None]
    if not gaps:
        return []
    channel = view.config(gaps[0].rotation).channel
    found = []
    for admin in view.file.people:
        if admin.admin and admin.slack_id and admin.id != recorded.person.id:
            zone = view.zone_of(admin)
            blocks = gap_notice_blocks(recorded.person.id, gaps, channel, view.people, zone)
            found.append(Notice(admin.slack_id, blocks, "A gap in the on-call schedule"))
    return found


def _cancelled_notices(cancelled: AbsenceCancelled, view: TeamView, actor: Person) -> list[Notice]:
    """The same people as when it was recorded, and whoever holds the time again, told who covers now;
    the calls' posts lose their buttons."""
    found: list[Notice] = []
    absent = view.people.get(cancelled.absence.person)
    what = f"{escape(absent.name if absent else cancelled.absence.person)}'s absence is cancelled"
    for rotation, covers in sorted(_by_rotation(cancelled.covers).items()):
        zone = view.rotations[rotation].timezone
        found.append(
            Notice(
                view.config(rotation).channel,
                cancelled_notice_blocks(cancelled, covers, view.people, zone),
                what,
            )
        )
    involved = {c.segment.person for c in cancelled.covers} | {c.otherwise.person for c in cancelled.covers}
    absent_id = cancelled.absence.person
    involved.add(absent_id)  # told even without a shift in that time, when an admin took it back
    for person_id in sorted(p for p in involved if p and p != actor.id):
        person = view.people.get(person_id)
        if person and person.slack_id:
            blocks = cancelled_dm_blocks(cancelled, person_id, view.people, view.zone_of(person_id))
            text = "Your absence is cancelled" if person_id == absent_id else "Your shifts changed back"
            found.append(Notice(person.slack_id, blocks, text))
    for call in cancelled.calls:
        if call.ts and call.rotation in view.rotations:
            zone = view.rotations[call.rotation].timezone
            found.append(
                Notice(call.channel, call_cancelled_blocks(cancelled, view.people, zone), what, ts=call.ts)
            )
    return found


async def send(ctx: AppContext, client: AsyncWebClient, notices: Sequence[Notice]) -> None:
    """Tell the others, once the change is stored and answered; a failure is logged, never raised."""
    for notice in notices:
        try:
            if notice.ts:
                await client.chat_update(
                    channel=notice.channel, ts=notice.ts, blocks=notice.blocks, text=notice.text
                )
                continue
            sent = await client.chat_postMessage(
                channel=notice.channel, blocks=notice.blocks, text=notice.text
            )
        except CALL_ERRORS as error:
            log.error("could not tell %s about a change: %s", notice.channel, error)
            continue
        if notice.call and sent.get("ts"):
            await volunteer_notices.remember_post(
                ctx, call=notice.call, channel=sent.get("channel") or notice.channel, ts=sent["ts"]
            )
