"""The local shell driven as a person would: typed commands, a pressed button, no Slack."""

from __future__ import annotations

import io

from bot.slack.context import AppContext
from bot.slack.shell import run_shell


async def drive(ctx: AppContext, script: str, person: str | None = None) -> str:
    out = io.StringIO()
    await run_shell(ctx, as_person=person, stdin=io.StringIO(script), stdout=out)
    return out.getvalue()


async def test_starts_with_who_is_on_call(ctx: AppContext) -> None:
    out = await drive(ctx, "")
    assert "oncall-bot shell, as Alice (alice)" in out
    assert "Primary: @Alice (regular rotation), until Mon 14 Dec 09:00 EST" in out
    assert "Backup: @Bob" in out


async def test_runbook_then_press_a_candidate(ctx: AppContext) -> None:
    out = await drive(ctx, "/runbook eng\n2\nquit\n")
    assert "[1] Daily Engagement Pipeline  [2] Engagement Pipeline" in out
    pressed = out.split("[2] Engagement Pipeline", 1)[1]
    assert "Engagement Pipeline (monthly, investor-facing)" in pressed
    assert "Kafka downtime" in pressed


async def test_mentions_and_typos(ctx: AppContext) -> None:
    out = await drive(ctx, "/oncall @bob\n/oncall nwo\n", person="carol")
    assert "as Carol (carol)" in out
    assert "On-call of Bob" in out
    assert "Did you mean `/oncall now`?" in out


async def test_home_and_bad_input(ctx: AppContext) -> None:
    out = await drive(ctx, "home\n7\nwhat is this\n/deploy prod\n")
    assert "[App Home]" in out and "Your on-call" in out and "Nothing is waiting for you" in out
    assert "There is no button 7." in out
    assert "Type what you would type in Slack" in out
    assert "Unknown command /deploy" in out


async def test_unknown_person(ctx: AppContext) -> None:
    try:
        await drive(ctx, "", person="zed")
    except LookupError as error:
        assert "no person 'zed'" in str(error) and "alice" in str(error)
    else:
        raise AssertionError("an unknown person must be refused")


async def test_run_job_posts_once(ctx: AppContext) -> None:
    out = await drive(ctx, "run-job handoff\nrun-job handoff\nrun-job weekly\n")
    assert "[chat.postMessage to #data-oncall]" in out and "Handoff: data-oncall" in out
    assert "(handoff:data-oncall:2026-12-07: sent)" in out
    assert "(handoff:data-oncall:2026-12-07: already sent)" in out
    assert "Usage: run-job handoff|reminders|month-end" in out
