"""Block Kit for alerts: what the source said, shown as written (labels and annotations can never
mention anyone), and the count of reports on the root message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.messages.common import (
    Blocks,
    context,
    context_of,
    escape,
    header,
    literal,
    literal_section,
    mrkdwn,
    section,
)
from bot.messages.incidents import link_text
from bot.messages.timefmt import slack_time
from bot.store.integrations import Integration

LABELS_SHOWN = 20


def alert_blocks(shown: Mapping[str, Any], triager: str | None) -> Blocks:
    """The alert's summary, description, links and labels. `triager` (a mention) when no pipeline
    claims it: the on-call primary is asked to route it."""
    blocks: Blocks = [section(f":bell: *Alert from {shown.get('integration', 'an integration')}*")]
    blocks.append(literal_section(str(shown.get("summary") or "")))
    if shown.get("description"):
        blocks.append(literal_section(str(shown["description"])))
    links = [f":book: {link_text(shown['runbook_url'], 'runbook')}"] if shown.get("runbook_url") else []
    links += [f":chart_with_upwards_trend: {link_text(shown['link'], 'source')}"] if shown.get("link") else []
    if links:
        blocks.append(section("  ".join(links)))
    labels = sorted((shown.get("labels") or {}).items())[:LABELS_SHOWN]
    if labels:
        text = ", ".join(f"{k}={v}" for k, v in labels)
        blocks.append(context_of(mrkdwn("Labels:"), literal(text, 2000)))
    if triager is not None:
        hint = shown.get("pipeline_hint")
        named = (
            f" (it names `{escape(str(hint))}`, which is no pipeline's key, name or alias)" if hint else ""
        )
        blocks.append(
            section(
                f":mag: No pipeline claims this alert{named}. {triager}, you are on call: please triage it."
            )
        )
    return blocks


def firing_fact(count: int, last_at: datetime, zone: str) -> str:
    """The root message's line on how often the source reported it."""
    times = "once" if count == 1 else f"{count} times"
    return f"alert fired {times}, the last {slack_time(last_at, zone)}"


def integrations_blocks(found: Sequence[Integration]) -> Blocks:
    """The integrations, as App Home shows them to admins (their URLs are not kept, so not shown)."""
    lines = [
        f"`{i.name}` · {i.kind}"
        + (f" · `{i.pipeline}`" if i.pipeline else "")
        + (f" · {i.severity}" if i.severity else "")
        for i in found[:LABELS_SHOWN]
    ]
    said = "\n".join(lines) or "_None yet._"
    return [
        header("Alert integrations"),
        section(said),
        context("Add, rotate or remove them with `oncall-bot integrations`; a URL is shown only when made."),
    ]
