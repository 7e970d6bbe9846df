"""Block Kit for the direct message telling someone a team-file change moved their shifts."""

from __future__ import annotations

from typing import Any

from bot.features.oncall.roster import MovedShifts, Stretch
from bot.messages.common import context, escape, section, truncate
from bot.messages.timefmt import span

Blocks = list[dict[str, Any]]
SHOWN = 15


def _lines(all_stretches: tuple[Stretch, ...], zone: str) -> str:
    stretches = all_stretches[:SHOWN]
    lines = [f"• {s.role.value} for *{escape(s.rotation)}*, {span(s.start, s.end, zone)}" for s in stretches]
    if len(all_stretches) > SHOWN:
        lines.append(f"…and {len(all_stretches) - SHOWN} more")
    return "\n".join(lines)


def roster_change_blocks(moved: MovedShifts, zone: str) -> Blocks:
    """What is newly theirs and what no longer is; times show in the reader's own zone."""
    blocks: Blocks = [section(":calendar: The team file was updated, and your on-call shifts changed.")]
    if moved.gained:
        blocks.append(section(truncate("*Now yours*\n" + _lines(moved.gained, zone), 3000)))
    if moved.lost:
        blocks.append(section(truncate("*No longer yours*\n" + _lines(moved.lost, zone), 3000)))
    blocks.append(context("`/oncall me` shows all your shifts; `/swap` if one does not suit you."))
    return blocks
