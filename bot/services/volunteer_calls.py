"""Calls for a volunteer when an absence made the engine pick a backup, and their deadline.

The channel is asked first; the first volunteer wins (see absences.volunteer). When the deadline
passes with a stretch nobody took, the engine's choice stands and is announced, once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.schedule import resolve
from bot.schedule.model import Role, Segment
from bot.services.absences import AbsenceRecorded, VolunteerOffer
from bot.services.oncall import TeamView, schedule_inputs
from bot.store import audit, ledger
from bot.store import volunteer_calls as store
from bot.store.models import AbsenceRow
from bot.store.volunteer_calls import VolunteerCall

VOLUNTEER_WINDOW = timedelta(hours=24)  # open until the absence starts, at most this long
SCHEDULER = "scheduler"


@dataclass(frozen=True)
class Unclaimed:
    """A call closed with stretches nobody took: who the engine keeps as backup over each."""

    call: VolunteerCall
    absent: str  # the person whose absence it was
    stands: list[Segment]


def volunteer_offers(recorded: AbsenceRecorded, at: datetime) -> dict[str, list[VolunteerOffer]]:
    """Per rotation, the backup stretches the engine had to fill, offered until the deadline."""
    deadline = min(recorded.start, at + VOLUNTEER_WINDOW)
    if deadline <= at:
        return {}
    offers: dict[str, list[VolunteerOffer]] = {}
    for cover in recorded.covers:
        if cover.segment.role is Role.BACKUP:
            offers.setdefault(cover.rotation, []).append(
                VolunteerOffer(
                    absence=recorded.id,
                    rotation=cover.rotation,
                    start=cover.segment.start,
                    end=cover.segment.end,
                    deadline=deadline,
                )
            )
    return offers


async def open_calls(
    session: AsyncSession,
    *,
    view: TeamView,
    recorded: AbsenceRecorded,
    offers: Mapping[str, Sequence[VolunteerOffer]],
) -> None:
    """Store the calls with the absence, before the channel is asked."""
    for rotation, found in offers.items():
        if found:
            await store.add_call(
                session,
                absence=recorded.id,
                rotation=rotation,
                channel=view.config(rotation).channel,
                deadline=found[0].deadline,
                offers=[offer.model_dump(mode="json") for offer in found],
            )


async def _engine_backups(
    session: AsyncSession, view: TeamView, offers: Sequence[VolunteerOffer]
) -> list[Segment]:
    stands = []
    for offer in offers:
        rotation = view.rotations.get(offer.rotation)
        if rotation is None:
            continue
        inputs = await schedule_inputs(
            session, view=view, rotation=rotation, start=offer.start, end=offer.end
        )
        segments = resolve(rotation, offer.start, offer.end, inputs).segments
        stands += [s for s in segments if s.role is Role.BACKUP]
    return stands


async def close_due(session: AsyncSession, *, view: TeamView, at: datetime) -> list[Unclaimed]:
    """Close every call past its deadline, once; those with a stretch nobody volunteered for."""
    unclaimed = []
    for call in await store.due(session, at=at):
        if not await store.close(session, call_id=call.id, at=at):
            await session.rollback()
            continue
        offers = [VolunteerOffer.model_validate(o) for o in call.offers]
        taken = await ledger.sent_keys(session, [o.key for o in offers])
        untaken = [o for o in offers if o.key not in taken]
        stands = await _engine_backups(session, view, untaken)
        absent = await session.scalar(select(AbsenceRow.person_id).where(AbsenceRow.id == call.absence))
        if stands:
            names = ", ".join(sorted({s.person or "nobody" for s in stands}))
            await audit.record(
                session,
                actor=SCHEDULER,
                source=SCHEDULER,
                action="absence.no_volunteer",
                subject=call.rotation,
                detail=f"#{call.absence}: nobody volunteered; backup stays {names}",
                at=at,
            )
        await session.commit()
        if stands and absent:
            unclaimed.append(Unclaimed(call, absent, stands))
    return unclaimed
