"""Who holds each role on one piece of time, once the facts of that piece are known.

The rules apply in layers: the plain rotation, then the holiday cover, then absence cover; overrides
win over all of that, and afterwards nobody is left scheduled while away or in both roles at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.core.schedule.model import HolidayDuty, Named, Override, Reason, Role, Rotation, Shift, Words


@dataclass(frozen=True)
class Hold:
    """A role's holder on a piece, with the explanation its segment will carry."""

    person: str | None
    reason: Reason
    detail: Words = ()
    instead_of: str | None = None
    seq: int | None = None  # the override's seq when an override put the person there

    @property
    def overridden(self) -> bool:
        return self.seq is not None

    def explains_as(self, other: Hold) -> bool:
        """Same person for the same reason: adjacent pieces merge into one segment."""
        return (self.person, self.reason, self.detail) == (other.person, other.reason, other.detail)


def _filled(person: str | None, reason: Reason, detail: Words, instead_of: str | None) -> Hold:
    return Hold(person, reason if person else Reason.GAP, detail, instead_of)


class Staffing:
    """The role-filling rules of one rotation."""

    def __init__(self, rotation: Rotation) -> None:
        self.rotation = rotation

    def holders(
        self,
        plain: Shift,
        *,
        away: Collection[str],
        duty: HolidayDuty | None,
        overrides: Mapping[Role, Override | None],
    ) -> tuple[Hold, Hold]:
        """The primary and backup on a piece of time inside the plain shift `plain`."""
        primary, backup = Hold(plain.primary, Reason.ROTATION), Hold(plain.backup, Reason.ROTATION)
        overridden = any(overrides.values())
        if not (away or duty or overridden):  # most pieces: the plain rotation stands
            return primary, backup
        unavailable = set(away) | ({plain.primary} if duty else set())  # the primary is off on a holiday
        if duty is not None:
            primary, backup = self._holiday(plain, duty, unavailable)
        primary, backup = self._cover_absences(plain, primary, backup, away, unavailable)
        if not overridden:
            return primary, backup
        primary, backup = _apply(overrides, plain, primary, backup)
        primary, backup = self._cover_absences(plain, primary, backup, away, unavailable)
        return self._separate(plain, primary, backup, unavailable)

    def _holiday(self, plain: Shift, duty: HolidayDuty, unavailable: set[str]) -> tuple[Hold, Hold]:
        cover, name = duty.person, duty.holiday.name
        if cover is None:
            primary = Hold(
                None, Reason.GAP, (f"nobody can cover {name} for ", Named(plain.primary)), plain.primary
            )
        elif cover == plain.primary:  # the outgoing primary of a holiday with a handoff in it
            primary = Hold(cover, Reason.HOLIDAY, (f"covers {name}",))
        else:
            primary = Hold(
                cover, Reason.HOLIDAY, (f"covers {name} for ", Named(plain.primary)), plain.primary
            )
        if cover is None or cover != plain.backup:
            return primary, Hold(plain.backup, Reason.ROTATION)
        stand_in = self.next_after(cover, exclude=unavailable | {cover})
        return primary, _filled(
            stand_in, Reason.HOLIDAY, ("backup while ", Named(cover), f" covers {name}"), plain.backup
        )

    def _cover_absences(
        self,
        plain: Shift,
        primary: Hold,
        backup: Hold,
        away: Collection[str],
        unavailable: set[str],
    ) -> tuple[Hold, Hold]:
        """An away primary's time goes to the backup, whose slot is refilled; an away backup is replaced.

        A backup put there by an override (a volunteer) keeps the backup slot: the primary's time then
        goes to whoever was on call least recently.
        """
        if (absent := primary.person) is not None and absent in away:
            moves_up = backup.person is not None and backup.person not in away and not backup.overridden
            if moves_up:
                taker = backup.person
            else:
                taker = self.least_recent(plain, exclude=unavailable | _named(backup))
            primary = _filled(taker, Reason.ABSENCE, (Named(absent), " away"), plain.primary)
            if moves_up and taker is not None:
                refill = self.least_recent(plain, exclude=unavailable | _named(primary))
                covering = ("while ", Named(taker), " covers for ", Named(absent))
                backup = _filled(refill, Reason.ABSENCE, covering, plain.backup)
        if (gone := backup.person) is not None and gone in away:
            refill = self.least_recent(plain, exclude=unavailable | _named(primary))
            backup = _filled(refill, Reason.ABSENCE, (Named(gone), " away"), plain.backup)
        return primary, backup

    def _separate(
        self, plain: Shift, primary: Hold, backup: Hold, unavailable: set[str]
    ) -> tuple[Hold, Hold]:
        """One person in both roles: the role no override set (or the older override's) is refilled."""
        if primary.person is None or primary.person != backup.person:
            return primary, backup
        person = primary.person
        refill = self.least_recent(plain, exclude=unavailable | {person})
        if _newer(backup, primary):
            return _filled(
                refill, backup.reason, ("while ", Named(person), " is backup"), plain.primary
            ), backup
        return primary, _filled(
            refill, primary.reason, ("while ", Named(person), " is primary"), plain.backup
        )

    def next_after(self, person: str, *, exclude: Collection[str]) -> str | None:
        """The first member after `person` in rotation order who is not excluded."""
        members = self.rotation.members
        start = members.index(person)
        ring = members[start + 1 :] + members[:start]
        return next((m for m in ring if m not in exclude), None)

    def least_recent(self, plain: Shift, *, exclude: Collection[str]) -> str | None:
        """The member not excluded whose latest plain primary shift started longest ago (never: first).

        Each member holds one place in the rotation, so no two share a latest shift and recency alone
        decides; those who never had one go in rotation order after the current primary.
        """
        members, current = self.rotation.members, plain.index
        n = len(members)
        # A member's latest primary shift up to the current one; below 0 when they have not had one yet.
        latest = {m: current - ((current - position) % n) for position, m in enumerate(members)}
        return min((m for m in members if m not in exclude), key=latest.__getitem__, default=None)


def _apply(
    overrides: Mapping[Role, Override | None], plain: Shift, primary: Hold, backup: Hold
) -> tuple[Hold, Hold]:
    def held(override: Override | None, planned: Hold, plain_holder: str) -> Hold:
        if override is None:
            return planned
        note = (override.note,) if override.note else ()
        return Hold(override.person, override.reason, note, plain_holder, override.seq)

    return (
        held(overrides.get(Role.PRIMARY), primary, plain.primary),
        held(overrides.get(Role.BACKUP), backup, plain.backup),
    )


def _newer(hold: Hold, than: Hold) -> bool:
    """Whether an override set `hold` more recently than whatever set `than`."""
    return hold.seq is not None and (than.seq is None or hold.seq > than.seq)


def _named(hold: Hold) -> set[str]:
    return {hold.person} if hold.person else set()
