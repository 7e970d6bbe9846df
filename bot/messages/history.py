"""Block Kit for `/oncall history`: the audit log, newest first."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.team import Person
from bot.messages.common import escape, header, section, split_text
from bot.messages.oncall import who
from bot.messages.timefmt import slack_time
from bot.store.audit import AuditEntry

Blocks = list[dict[str, Any]]
# Details keep instants as ISO-8601 with their offset; each reader sees them on their own clock.
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)")


def _detail(text: str, zone: str) -> str:
    return INSTANT.sub(lambda m: slack_time(datetime.fromisoformat(m[0]), zone), escape(text[:200]))


def history_blocks(entries: Sequence[AuditEntry], people: Mapping[str, Person], *, zone: str) -> Blocks:
    if not entries:
        return [section("Nothing has changed yet.")]
    lines = [
        f"{slack_time(e.at, zone)} · {who(e.actor, people) if e.actor in people else escape(e.actor)} "
        f"({escape(e.source)}) {escape(e.action)} `{escape(e.subject)}`"
        + (f" {_detail(e.detail, zone)}" if e.detail else "")
        for e in entries
    ]
    return [header("Latest changes"), *[section(t) for t in split_text("\n".join(lines))]]
