"""What a person reads, whole: a few messages rendered as the shell shows them, at a fixed moment,
compared with the reviewed text in snapshots/. After a deliberate change of wording, run the tests
with UPDATE_SNAPSHOTS=1 and review the diff of the files."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from bot.context import AppContext
from bot.shell import run_shell

SNAPSHOTS = Path(__file__).parent / "snapshots"


async def printed(ctx: AppContext, typed: str, person: str) -> str:
    out = io.StringIO()
    await run_shell(ctx, as_person=person, stdin=io.StringIO(typed), stdout=out)
    return out.getvalue()


async def shown(ctx: AppContext, typed: str, person: str) -> str:
    """What the shell printed for `typed`, after its opening lines."""
    opening = await printed(ctx, "", person)
    answer = await printed(ctx, typed + "\n", person)
    assert answer.startswith(opening)
    return answer.removeprefix(opening)


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text)
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text()


@pytest.mark.parametrize(
    ("name", "typed", "person"),
    [
        ("oncall-now", "/oncall now", "carol"),
        ("oncall-schedule", "/oncall schedule 2", "alice"),
        ("runbook-growth", "/runbook growth", "bob"),
        ("incident-declared", "/incident growth sev1 late data from Kafka", "carol"),
        ("swap-requested", "/swap @alice 2026-12-22 cover dentist", "carol"),
    ],
)
async def test_messages_read_as_reviewed(ctx: AppContext, name: str, typed: str, person: str) -> None:
    assert_snapshot(name, await shown(ctx, typed, person))
