"""A swap approved over a stretch an "I'll cover" call offers settles that stretch's backup: the
call stops offering it, so that no volunteer undoes the swap as the newest override would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.absences.volunteers import CallPost, VolunteerOffer, call_post, taken_by
from bot.features.oncall.views import TeamView
from bot.store import volunteer_calls as store
from bot.store.schedule import get_absence, volunteers_for


def _cut(
    offer: VolunteerOffer, spans: Sequence[tuple[datetime, datetime]], swap: int
) -> list[VolunteerOffer]:
    """An offered stretch split where a swap settled its backup: those parts marked, the rest offered."""
    inner = {t for span in spans for t in span if offer.start < t < offer.end}
    pieces: list[VolunteerOffer] = []
    for start, end in pairwise(sorted({offer.start, offer.end, *inner})):
        settled = swap if any(a <= start and end <= b for a, b in spans) else None
        if pieces and pieces[-1].settled_by == settled:
            pieces[-1] = pieces[-1].model_copy(update={"end": end})
        else:
            pieces.append(offer.model_copy(update={"start": start, "end": end, "settled_by": settled}))
    return pieces


async def settle(
    session: AsyncSession,
    *,
    view: TeamView,
    rotation: str,
    spans: Sequence[tuple[datetime, datetime]],
    swap: int,
) -> list[CallPost]:
    """Withdraw from the rotation's open calls the backup time an approved swap just settled, from
    each stretch nobody took yet; the posts of the calls that changed, as they stand now."""
    posts = []
    for call in await store.open_in(session, rotation=rotation):
        absence = await get_absence(session, call.absence)
        volunteers = await volunteers_for(session, call.absence)
        offers = [VolunteerOffer.model_validate(o) for o in call.offers]
        untouched = [o.settled_by is not None or taken_by(o, volunteers) is not None for o in offers]
        kept = [
            p
            for o, done in zip(offers, untouched, strict=True)
            for p in ([o] if done else _cut(o, spans, swap))
        ]
        if kept == offers or absence is None:
            continue
        stored = tuple(o.model_dump(mode="json") for o in kept)
        await store.set_offers(session, call_id=call.id, offers=stored)
        posts.append(await call_post(session, view=view, call=replace(call, offers=stored), absence=absence))
    return posts
