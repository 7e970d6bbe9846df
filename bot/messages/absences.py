"""Block Kit for absences: the confirmation, the list, the call for a volunteer, and the notices to
those whose shifts change when an absence is recorded or taken back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.schedule.model import Absence, Segment
from bot.core.team import Person
from bot.features.absences.service import AbsenceCancelled, AbsenceRecorded, Cover
from bot.features.absences.volunteers import Volunteered, VolunteerOffer
from bot.features.swaps.requests import when_in
from bot.messages.common import Blocks, actions, button, context, escape, section
from bot.messages.ids import ActionId
from bot.messages.oncall import who, why
from bot.messages.timefmt import slack_time

People = Mapping[str, Person]
LISTED = 40  # absences in one list: what a section's 3000 characters hold


def _span(start: datetime, end: datetime, zone: str, written: datetime | None) -> str:
    """A stretch of time; one begun by the time the message is `written` reads "from now"."""
    if written is not None and start <= written:
        return f"from now until {slack_time(end, zone)}"
    return f"{slack_time(start, zone)} → {slack_time(end, zone)}"


def _line(rotation: str, segment: Segment, people: People, zone: str, written: datetime | None) -> str:
    return (
        f"• {escape(rotation)}: {who(segment.person, people)} {segment.role.value} "
        f"{_span(segment.start, segment.end, zone, written)}"
    )


def _lines(
    covers: Sequence[Cover], people: People, zone: str, *, held: bool = True, written: datetime | None = None
) -> str:
    """Who holds each stretch because of the absence (`held`), or who holds it without it."""
    return "\n".join(
        _line(c.rotation, c.segment if held else c.otherwise, people, zone, written) for c in covers[:30]
    )


def _away(recorded: AbsenceRecorded, people: People, zone: str, written: datetime, *, whose: str) -> str:
    """Away when, and who covers: for the answer and for the person away."""
    reason = f" ({escape(recorded.reason)})" if recorded.reason else ""
    lines = _lines(recorded.covers, people, zone, written=written)
    covering = f"\n*Who covers*\n{lines}" if lines else f"\nNo shift of {whose} falls in that time."
    return f"away {_span(recorded.start, recorded.end, zone, written)}{reason}.{covering}"


def recorded_blocks(recorded: AbsenceRecorded, people: People, zone: str, written: datetime) -> Blocks:
    """The answer to whoever recorded it; `written` is now, so an absence under way reads "from now"."""
    absent = who(recorded.person.id, people)
    for_self = recorded.actor == recorded.person.id
    if recorded.covers:
        told = "Those who now cover" if for_self else f"{absent}, those who now cover"
        told += " and the rotation channel are told."
    else:  # nobody's shift changes: nothing to tell anyone but the person away
        told = "It changes nobody's shift, so nobody else is told." if for_self else f"{absent} is told."
    return [
        section(
            f":palm_tree: Recorded absence #{recorded.id}: {absent} "
            + _away(recorded, people, zone, written, whose="theirs")
        ),
        context(f"{told} `/oncall away cancel {recorded.id}` undoes it."),
    ]


def recorded_for_you_blocks(
    recorded: AbsenceRecorded, people: People, zone: str, written: datetime
) -> Blocks:
    """To the person away, when an admin recorded the absence for them."""
    return [
        section(
            f":palm_tree: {who(recorded.actor, people)} recorded absence #{recorded.id} for you: "
            + _away(recorded, people, zone, written, whose="yours")
        ),
        context(f"`/oncall away list` shows it; `/oncall away cancel {recorded.id}` takes it back."),
    ]


def covers_notice_blocks(
    absent: str, covers: Sequence[Cover], people: People, zone: str, written: datetime | None = None
) -> Blocks:
    """To someone who now covers: what they hold because of the absence."""
    lines = _lines(covers, people, zone, written=written)
    changed = f", so the schedule changed:\n{lines}" if lines else "."
    return [section(f":palm_tree: {who(absent, people)} is away{changed}")]


def absences_list_blocks(
    absences: Sequence[Absence], zone: str, people: People, *, reader: str, whose: str | None
) -> Blocks:
    """`/oncall away list`: the absences of `whose` (None: everyone's), each with its id to cancel
    it by, as `reader` asked."""
    if whose == reader:
        title, none = "*Your absences*", "You have no absence recorded from now on."
    elif whose is None:
        title, none = "*Everyone's absences*", "Nobody has an absence recorded from now on."
    else:
        title, none = f"*Absences of {who(whose, people)}*", f"{who(whose, people)} has none from now on."
    if not absences:
        return [section(f"{none} `/oncall away START END [reason]` adds one.")]
    lines = [
        f"• #{a.id}: "
        + (f"{who(a.person, people)} " if whose is None else "")
        + f"{slack_time(a.start, zone)} → {slack_time(a.end, zone)}"
        + (f" ({escape(a.reason)})" if a.reason else "")
        for a in absences[:LISTED]
    ]
    more = [context(f"And {len(absences) - LISTED} more.")] if len(absences) > LISTED else []
    return [section(f"{title}\n" + "\n".join(lines)), *more]


def _offer_button(offer: VolunteerOffer, zone: str, written: datetime | None) -> dict[str, Any]:
    # Button labels are plain text: the stretch is written on the rotation's clock, zone named.
    when = when_in(zone)
    since = "from now" if written is not None and offer.start <= written else when(offer.start)
    value = offer.model_dump_json(exclude_none=True)
    return button(f"I'll cover {since} → {when(offer.end)}", ActionId.VOLUNTEER, value)


def volunteer_call_blocks(
    absent: str,
    covers: Sequence[Cover],
    people: People,
    zone: str,
    offers: Sequence[VolunteerOffer] = (),
    taken: Sequence[tuple[VolunteerOffer, str]] = (),
    settled: Sequence[VolunteerOffer] = (),
    written: datetime | None = None,
) -> Blocks:
    """The channel post: who covers now, who volunteered, and "I'll cover" for each backup stretch the
    engine filled that nobody has taken yet. `written`: when it is posted or rebuilt with buttons, so
    that a stretch under way reads "from now"."""
    blocks = covers_notice_blocks(absent, covers, people, zone, written)
    if taken:
        thanks = "\n".join(
            f":raised_hands: {who(person, people)} volunteered as backup "
            f"{_span(o.start, o.end, zone, written)}. Thank you!"
            for o, person in taken
        )
        blocks.append(section(thanks))
    if settled:
        swapped = "\n".join(
            f":arrows_counterclockwise: The backup {_span(o.start, o.end, zone, written)} is settled by "
            f"swap #{o.settled_by}: no volunteer needed."
            for o in settled
        )
        blocks.append(section(swapped))
    if offers:
        deadline = slack_time(offers[0].deadline, zone)
        gaps = {(c.segment.start, c.segment.end) for c in covers if c.segment.person is None}
        if all((o.start, o.end) in gaps for o in offers):
            asked = (
                ":warning: Nobody is left to be backup then: the rotation has a gap. Can you take it? "
                f"Until {deadline}:"
            )
        elif any((o.start, o.end) in gaps for o in offers):
            asked = (
                "The backup went to whoever was on call least recently, and for part of the time nobody "
                f"is left (a gap). Rather take it, or fill the gap? Until {deadline}:"
            )
        else:
            asked = (
                f"The backup went to whoever was on call least recently. Rather take it? Until {deadline}:"
            )
        blocks += [section(asked), actions(*(_offer_button(o, zone, written) for o in offers[:5]))]
    return blocks


def gap_notice_blocks(absent: str, gaps: Sequence[Cover], channel: str, people: People, zone: str) -> Blocks:
    """To an admin, once: the stretches an absence left with nobody to hold a role, and what helps."""
    lines = "\n".join(
        f"• {escape(c.rotation)}: nobody is {c.segment.role.value} "
        + _span(c.segment.start, c.segment.end, zone, None)
        for c in gaps[:30]
    )
    return [
        section(
            f":warning: While {who(absent, people, notify=False)} is away, the schedule has a gap:\n{lines}"
        ),
        context(
            f"What you can do: ask a teammate to take it with `/swap` (approved, it holds for exactly that "
            f'time), or ask for a volunteer: {escape(channel)} has the call with its "I\'ll cover" buttons.'
        ),
    ]


def _for(person: str, pairs: Iterable[tuple[Segment, Segment]], people: People, zone: str) -> str:
    """What changed for one person, from (who held it, who holds it now) pairs."""
    lines = []
    for old, new in pairs:
        if old.person == person:
            lines.append(f"• no longer {_role_at(old, zone)}")
        if new.person == person:
            lines.append(f"• now {_role_at(new, zone)} ({why(new, people)})")
    return "\n".join(lines)


def _role_at(segment: Segment, zone: str) -> str:
    when = f"{slack_time(segment.start, zone)} → {slack_time(segment.end, zone)}"
    return f"{escape(segment.rotation)} {segment.role.value} {when}"


def volunteered_notice_blocks(done: Volunteered, person: str, people: People, zone: str) -> Blocks:
    """To someone whose shifts a volunteer changed (the bot's backup pick, first of all)."""
    changes = _for(person, ((h.before, h.after) for h in done.changes), people, zone)
    absent = who(done.post.absent, people)
    return [
        section(
            f":raised_hands: {who(done.volunteer, people)} volunteered as backup for "
            f"{escape(done.offer.rotation)} while {absent} is away, so for you:\n{changes}"
        )
    ]


def no_volunteer_blocks(absent: str, stands: Sequence[Segment], people: People, zone: str) -> Blocks:
    """The channel is told, once, that nobody volunteered and who the engine keeps as backup."""
    lines = "\n".join(
        f"• {who(s.person, people)} backup {slack_time(s.start, zone)} → {slack_time(s.end, zone)} "
        f"({why(s, people)})"
        for s in stands[:30]
    )
    return [
        section(
            f":palm_tree: Nobody volunteered while {who(absent, people)} is away, so the backup stays "
            f"as the bot chose:\n{lines}"
        )
    ]


def _taken_back(cancelled: AbsenceCancelled, people: People, zone: str) -> str:
    absence = cancelled.absence
    if cancelled.kept_until is None:
        return f"{who(absence.person, people)}'s absence #{absence.id} is cancelled"
    return (
        f"{who(absence.person, people)}'s absence #{absence.id} ends early, at "
        f"{slack_time(cancelled.kept_until, zone)}"
    )


def cancelled_blocks(cancelled: AbsenceCancelled, people: People, zone: str) -> Blocks:
    """The answer to whoever took the absence back."""
    absence = cancelled.absence
    if cancelled.kept_until is None:
        done = f"Cancelled absence #{absence.id}. The schedule is back as it was."
    else:
        done = f"Ended absence #{absence.id} now; the time already away stays in the schedule."
    lines = _lines(cancelled.covers, people, zone, held=False)
    told = "\n*Who covers now*\n" + lines + "\nThey and the rotation channel are told." if lines else ""
    return [section(done + told)]


def cancelled_notice_blocks(
    cancelled: AbsenceCancelled, covers: Sequence[Cover], people: People, zone: str
) -> Blocks:
    """To the rotation's channel: who covers now, and who no longer does."""
    return [
        section(
            f":leftwards_arrow_with_hook: {_taken_back(cancelled, people, zone)}, so the schedule is back:\n"
            f"{_lines(covers, people, zone, held=False)}"
        ),
        context("No longer covering: " + ", ".join(sorted({who(c.segment.person, people) for c in covers}))),
    ]


def cancelled_dm_blocks(cancelled: AbsenceCancelled, person: str, people: People, zone: str) -> Blocks:
    """To each person whose shifts change back."""
    changes = _for(person, ((c.segment, c.otherwise) for c in cancelled.covers), people, zone)
    for_you = f", so for you:\n{changes}" if changes else "; no shift of yours changes."
    return [section(f":leftwards_arrow_with_hook: {_taken_back(cancelled, people, zone)}{for_you}")]


def call_cancelled_blocks(cancelled: AbsenceCancelled, people: People, zone: str) -> Blocks:
    """A call's post once its absence is taken back: no buttons left."""
    return [
        section(f":leftwards_arrow_with_hook: {_taken_back(cancelled, people, zone)}; no cover is needed.")
    ]
