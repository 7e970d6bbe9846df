"""Block Kit for `/oncall history`: the audit log, newest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.slack.blocks.common import escape, header, section, split_text
from bot.slack.blocks.oncall import who
from bot.slack.blocks.timefmt import slack_time
from bot.store.audit import AuditEntry
from bot.teamfile.schema import Person

Blocks = list[dict[str, Any]]


def history_blocks(entries: Sequence[AuditEntry], people: Mapping[str, Person], *, zone: str) -> Blocks:
    if not entries:
        return [section("Nothing has changed yet.")]
    lines = [
        f"{slack_time(e.at, zone)} · {who(e.actor, people) if e.actor in people else escape(e.actor)} "
        f"({escape(e.source)}) {escape(e.action)} `{escape(e.subject)}`"
        + (f" {escape(e.detail[:200])}" if e.detail else "")
        for e in entries
    ]
    return [header("Latest changes"), *[section(t) for t in split_text("\n".join(lines))]]
