"""Block Kit for the weekly handoff post."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.team import Person
from bot.features.handoff.handoff import Handoff
from bot.messages.common import Blocks, context, escape, header, section, truncate
from bot.messages.incidents import handoff_incident_blocks
from bot.messages.oncall import holding, who, why
from bot.messages.swaps import what
from bot.messages.timefmt import day, slack_time


def handoff_blocks(handoff: Handoff, people: Mapping[str, Person]) -> Blocks:
    zone = handoff.rotation.timezone
    out_primary, out_backup = handoff.outgoing
    in_primary, in_backup = handoff.incoming
    blocks: Blocks = [
        header(f"Handoff: {handoff.rotation.name}"),
        section(
            f"*Outgoing:* {who(out_primary.person if out_primary else None, people)} primary, "
            f"{who(out_backup.person if out_backup else None, people)} backup\n"
            + holding("Incoming primary", in_primary, people, zone)
            + "\n"
            + holding("Incoming backup", in_backup, people, zone)
        ),
    ]
    if handoff.notes:
        lines = [f"{who(author, people)}: {escape(text)}" for author, text in handoff.notes]
        blocks.append(section(truncate("*Notes from the outgoing shift*\n" + "\n".join(lines), 3000)))
    if handoff.duties:
        lines = [
            f":palm_tree: {day(d.holiday.day)} {escape(d.holiday.name)}: {who(d.person, people)} covers"
            for d in handoff.duties
        ]
        blocks.append(section("*Holidays this shift*\n" + "\n".join(lines)))
    if handoff.changes:
        lines = [
            f"{slack_time(s.start, zone)} → {slack_time(s.end, zone)}: "
            f"{s.role.value} {who(s.person, people)} ({why(s, people)})"
            for s in handoff.changes[:20]
        ]
        blocks.append(section("*Swaps and absences in force*\n" + "\n".join(lines)))
    if handoff.pending_swaps:
        lines = [
            f"#{swap.id}: {what(swap, people, zone)}, waiting for {who(swap.teammate, people)}"
            for swap in handoff.pending_swaps[:20]
        ]
        blocks.append(section(truncate("*Swap requests waiting for an answer*\n" + "\n".join(lines), 3000)))
    blocks += handoff_incident_blocks(handoff.incidents)
    blocks.append(
        context(f"Shift runs until {slack_time(handoff.until, zone)}. `/oncall schedule` for more.")
    )
    return blocks
