"""Recording and listing absences whole: who may do it, the change and its calls for a volunteer in
one transaction, committed here, so Slack, the shell and the command line get the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import Absence
from bot.core.team import Person
from bot.features.absences.service import AbsenceRecorded, AbsenceRefused, record_absence, upcoming
from bot.features.absences.volunteers import VolunteerOffer, open_calls, volunteer_offers
from bot.features.oncall.views import TeamView


@dataclass(frozen=True)
class Away:
    """What recording an absence did: who covers, what a volunteer may take, the calls opened."""

    recorded: AbsenceRecorded
    offers: dict[str, list[VolunteerOffer]]
    calls: dict[str, int]  # the call for a volunteer opened in each rotation


async def record(
    session: AsyncSession,
    *,
    view: TeamView,
    actor: Person,
    person: Person | None,
    first: date,
    last: date,
    reason: str,
    source: str,
    at: datetime,
) -> Away:
    """Record `person`'s absence (admins: anyone's; None is somebody not in the team)."""
    if person is None or (person != actor and not actor.admin):
        raise AbsenceRefused("only admins record absences for someone else, and only for people in the team")
    recorded = await record_absence(
        session,
        view=view,
        person=person,
        first=first,
        last=last,
        reason=reason,
        actor=actor.id,
        source=source,
        at=at,
    )
    offers = volunteer_offers(recorded, at)
    calls = await open_calls(session, view=view, recorded=recorded, offers=offers)
    await session.commit()
    return Away(recorded, offers, calls)


async def listing(
    session: AsyncSession, *, actor: Person, person: Person | None, everyone: bool, at: datetime
) -> list[Absence]:
    """Absences not over yet: the actor's own; admins' also someone else's, or everyone's."""
    if (everyone or person != actor) and not actor.admin:
        raise AbsenceRefused("only admins list someone else's absences; `/oncall away list` shows yours")
    if person is None and not everyone:
        raise AbsenceRefused("that person is not in the team file, so has no absences")
    return await upcoming(session, person=None if everyone or person is None else person.id, at=at)
