"""Block Kit for absences: the confirmation, the list, and the notices to those who now cover."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.schedule.model import Absence, Segment
from bot.services.absences import AbsenceRecorded, Cover, VolunteerOffer
from bot.services.oncall import explain
from bot.slack.blocks.common import actions, button, context, escape, section
from bot.slack.blocks.oncall import who
from bot.slack.blocks.timefmt import slack_time
from bot.slack.ids import ActionId
from bot.teamfile.schema import Person

Blocks = list[dict[str, Any]]


def _cover_line(cover: Cover, people: Mapping[str, Person], zone: str) -> str:
    s = cover.segment
    return (
        f"• {escape(cover.rotation)}: {who(s.person, people)} {s.role.value} "
        f"{slack_time(s.start, zone)} → {slack_time(s.end, zone)}"
    )


def recorded_blocks(recorded: AbsenceRecorded, people: Mapping[str, Person], zone: str) -> Blocks:
    span = f"{slack_time(recorded.start, zone)} → {slack_time(recorded.end, zone)}"
    lines = [_cover_line(c, people, zone) for c in recorded.covers[:30]]
    covering = "\n*Who covers*\n" + "\n".join(lines) if lines else "\nNo shift of theirs falls in that time."
    return [
        section(
            f":palm_tree: Recorded absence #{recorded.id}: "
            f"{who(recorded.person.id, people)} away {span}.{covering}"
        ),
        context(
            "Those who now cover and the rotation channel are told. `/oncall away cancel <id>` undoes it."
        ),
    ]


def covers_notice_blocks(
    recorded: AbsenceRecorded, covers: Sequence[Cover], people: Mapping[str, Person], zone: str
) -> Blocks:
    lines = "\n".join(_cover_line(c, people, zone) for c in covers[:30])
    return [
        section(f":palm_tree: {who(recorded.person.id, people)} is away, so the schedule changed:\n{lines}")
    ]


def absences_list_blocks(absences: Sequence[Absence], zone: str) -> Blocks:
    if not absences:
        return [
            section("You have no absence recorded from now on. `/oncall away START END [reason]` adds one.")
        ]
    lines = [
        f"• #{a.id}: {slack_time(a.start, zone)} → {slack_time(a.end, zone)}"
        + (f" ({escape(a.reason)})" if a.reason else "")
        for a in absences
    ]
    return [section("*Your absences*\n" + "\n".join(lines))]


def volunteer_call_blocks(
    recorded: AbsenceRecorded,
    covers: Sequence[Cover],
    people: Mapping[str, Person],
    zone: str,
    offers: Sequence[VolunteerOffer],
) -> Blocks:
    """The channel post: who covers now, and "I'll cover" for each backup stretch the engine filled."""
    blocks = covers_notice_blocks(recorded, covers, people, zone)
    if offers:
        deadline = slack_time(offers[0].deadline, zone)
        buttons = [button("I'll cover", ActionId.VOLUNTEER, offer.model_dump_json()) for offer in offers[:5]]
        blocks += [
            section(
                f"The backup went to whoever was on call least recently. Rather take it? Until {deadline}:"
            ),
            actions(*buttons),
        ]
    return blocks


def volunteered_blocks(
    offer: VolunteerOffer, volunteer: str, people: Mapping[str, Person], zone: str
) -> Blocks:
    span = f"{slack_time(offer.start, zone)} → {slack_time(offer.end, zone)}"
    return [
        section(
            f":raised_hands: {who(volunteer, people)} volunteered as backup for "
            f"{escape(offer.rotation)}, {span}. Thank you!"
        )
    ]


def no_volunteer_blocks(
    absent: str, stands: Sequence[Segment], people: Mapping[str, Person], zone: str
) -> Blocks:
    """The channel is told, once, that nobody volunteered and who the engine keeps as backup."""
    lines = "\n".join(
        f"• {who(s.person, people)} backup {slack_time(s.start, zone)} → {slack_time(s.end, zone)} "
        f"({escape(explain(s))})"
        for s in stands[:30]
    )
    return [
        section(
            f":palm_tree: Nobody volunteered while {who(absent, people)} is away, so the backup stays "
            f"as the bot chose:\n{lines}"
        )
    ]
