"""The local shell driven as a person would: typed commands, pressed buttons, forms filled in field by
field, and switching person within one session; no Slack."""

from __future__ import annotations

import io
from datetime import datetime

from bot.context import AppContext
from bot.shell import run_shell
from bot.shell.posts import Message
from bot.shell.screen import Screen
from tests.slack.conftest import NY


async def drive(ctx: AppContext, script: str, person: str | None = None) -> str:
    out = io.StringIO()
    await run_shell(ctx, as_person=person, stdin=io.StringIO(script), stdout=out)
    return out.getvalue()


def after(text: str, marker: str) -> str:
    """What the shell printed after `marker` first appeared."""
    assert marker in text, f"{marker!r} was not printed"
    return text.split(marker, 1)[1]


async def test_starts_with_who_is_on_call(ctx: AppContext) -> None:
    out = await drive(ctx, "")
    assert "oncall-bot shell, as Alice (alice)" in out
    assert "→ only you see this:\nOn call now" in out
    assert "Primary: @Alice (regular rotation), until Mon 14 Dec 09:00 EST" in out
    assert "Backup: @Bob" in out


async def test_runbook_then_press_a_candidate(ctx: AppContext) -> None:
    out = await drive(ctx, "/runbook eng\n2\nquit\n")
    assert "[1] Daily Engagement Pipeline  [2] Engagement Pipeline" in out
    pressed = after(out, "[2] Engagement Pipeline")
    assert "Engagement Pipeline (monthly, investor-facing)" in pressed
    assert "Kafka downtime" in pressed


async def test_mentions_and_typos(ctx: AppContext) -> None:
    out = await drive(ctx, "/oncall @bob\n/oncall nwo\n", person="carol")
    assert "as Carol (carol)" in out
    assert "On-call of Bob" in out
    assert "Did you mean `/oncall now`?" in out


async def test_home_and_bad_input(ctx: AppContext) -> None:
    out = await drive(ctx, "home\n7\nwhat is this\n/deploy prod\nshow 4\n")
    assert "→ your App Home:" in out and "Your on-call" in out and "Nothing is waiting for you" in out
    assert "There is no button 7." in out
    assert "Not understood: 'what is this'. Type `help`" in out
    assert "Unknown command /deploy" in out
    assert "There is no post 4. Usage: show N" in out


async def test_help_lists_every_shell_command(ctx: AppContext) -> None:
    out = after(await drive(ctx, "help\n"), "alice> /oncall now")
    for command in (
        "as PERSON",
        "posts",
        "show N",
        "home",
        "run-job JOB",
        "`run-job swaps`",
        "`run-job volunteers`",
        "`run-job heartbeats`",
        "`cancel` closes the form",
    ):
        assert command in out


async def test_unknown_person(ctx: AppContext) -> None:
    try:
        await drive(ctx, "", person="zed")
    except LookupError as error:
        assert "no person 'zed'" in str(error) and "alice" in str(error)
    else:
        raise AssertionError("an unknown person must be refused")


async def test_switching_person(ctx: AppContext) -> None:
    out = await drive(ctx, "as nobody\nas\nas Bob\n/oncall me\n")
    assert "No one called 'nobody' in the team. Usage: as PERSON, one of alice, bob, carol, david." in out
    assert "\nUsage: as PERSON, one of alice, bob, carol, david." in out
    assert "Now acting as Bob (bob)." in after(out, "Usage: as PERSON")
    assert "Your on-call\n============\n@Bob" in after(out, "Now acting as Bob")


async def test_run_job_posts_once(ctx: AppContext) -> None:
    out = await drive(ctx, "run-job handoff\nrun-job handoff\nrun-job weekly\n")
    assert "→ #data-oncall:\nHandoff: data-oncall" in out
    assert "(handoff:data-oncall:2026-12-07: sent)" in out
    assert "(handoff:data-oncall:2026-12-07: already sent)" in out
    assert "Usage: run-job handoff|reminders|month-end" in out


# /incident's form: pipeline, severity (sev2 already chosen), what is wrong, an optional link.
GROWTH, SEV1 = "3", "1"


async def test_declare_by_the_form_then_resolve_by_its_form(ctx: AppContext) -> None:
    out = await drive(
        ctx, f"/incident\n{GROWTH}\n{SEV1}\nlate data from Kafka\n\n3\nrestarted the consumer\n"
    )
    form = after(out, "[form: Declare an incident]")
    assert "Pipeline\n  1. Profit Pipeline" in form and "Now: sev2 — degraded" in form
    declared = after(form, "(sending the form: Declare)")
    assert "→ #data-oncall:\nIncident #1: Growth Pipeline (sev1)" in declared
    assert "late data from Kafka" in declared and "[1] Acknowledge  [2] Escalate  [3] Resolve" in declared
    assert "→ only you see this:\nIncident #1: its thread is in #data-oncall." in declared
    resolved = after(declared, "[form: Resolve #1]")
    assert "Resolution, in one line" in resolved
    assert "→ #data-oncall, in the thread:\n✅ Resolved by Alice.\nrestarted the consumer" in resolved
    assert "↻ #data-oncall (updated):\nIncident #1: Growth Pipeline (sev1)" in resolved
    assert "Status: resolved" in resolved and "[1] Reopen" in resolved
    assert "No open incident." in await drive(ctx, "/incident list\n")


async def test_the_form_asks_again_what_was_wrong(ctx: AppContext) -> None:
    script = f"/incident\n9\n{GROWTH}\n\n\nlate\nnot a link\nhttps://example.com/run/7\n"
    out = await drive(ctx, script)
    assert "Pick by number, from 1 to 7." in out  # the shell's own check, as Slack's menu allows no other
    assert "This field is required. Type a line. `cancel` closes the form." in out
    refused = after(out, "The form was not accepted:")
    assert refused.startswith("\n  Link (a message, a dashboard, a job run): A link starts with https://")
    asked = refused.split("(sending the form", 1)[0]
    assert "Link (a message" in asked and "Pipeline" not in asked  # only the wrong field again
    assert "Incident #1: Growth Pipeline (sev2)" in refused and "https://example.com/run/7" in refused


async def test_cancel_a_form(ctx: AppContext) -> None:
    out = await drive(ctx, f"/incident\n{GROWTH}\ncancel\n/incident list\n/incident\n")
    assert "Closed the form; nothing was sent." in out
    assert "No open incident." in out
    assert out.count("Closed the form; nothing was sent.") == 2  # the input ended in the second one


async def test_the_same_command_twice_offers_to_join_or_declares_a_second(ctx: AppContext) -> None:
    out = await drive(ctx, "/incident growth late data\n/incident growth late data\n2\n")
    assert "Incident #1 declared" in out and "[1] Join #1  [2] Declare a new one" in out
    assert "Incident #2 declared" in after(out, "[1] Join #1  [2] Declare a new one")


async def test_typed_markup_shows_as_typed(ctx: AppContext) -> None:
    out = await drive(ctx, "/incident growth <b>bold</b> & <i>more</i>\n/incident status 1\n")
    declared = after(out, "Incident #1: Growth Pipeline (sev2)")
    assert "<b>bold</b> & <i>more</i>" in declared and "bbold/b" not in out


def test_a_message_of_text_alone_shows_as_slack_shows_it() -> None:
    out = io.StringIO()
    Screen(out, {"U0BOB0001": "Bob"}).show(
        Message("C0", "1.0", [], "*Not done*: &lt;b&gt; &amp; <@U0BOB0001>")
    )
    assert "Not done: <b> & @Bob" in out.getvalue()


# The /swap form: teammate (Bob, Carol, David), one of my shifts, in exchange, part from, until, reason.
SWAP_TO_BOB = (
    "/swap\n1\n1\n1\n\n\nmy vacation\n"  # my first shift, Christmas Eve (backup) and Day: Bob covers
)


async def test_swap_by_the_form_approved_as_the_teammate(ctx: AppContext) -> None:
    out = await drive(ctx, SWAP_TO_BOB + "1\nas bob\n1\n/oncall schedule\n")
    form = after(out, "[form: Swap a shift]")
    assert "My shift\n  1. Thu 24 Dec 00:00 → Sat 26 Dec 00:00 · backup/primary" in form
    asked = after(form, "(sending the form: Ask them)")
    assert "→ DM to Bob:\n🔄 @Alice asks you to cover for them (request #1)" in asked
    assert "Reason: my vacation" in asked and "[1] Approve  [2] Decline" in asked
    assert "→ DM to you:\n📤 Asked @Bob (request #1)" in asked
    assert "Only Bob sees that message: `as bob` first." in asked
    approved = after(asked, "Now acting as Bob (bob).")
    assert "↻ DM to you (updated):" in approved and "→ DM to Alice:" in approved
    assert "→ #data-oncall:" in approved
    schedule = after(approved, "Schedule, next 4 weeks")
    assert "Fri 25 Dec 00:00 EST → Sat 26 Dec 00:00 EST · primary @Bob" in schedule, schedule


async def test_earlier_buttons_stay_pressable_by_others(ctx: AppContext) -> None:
    script = "/incident growth late data\nas carol\n/oncall now\nposts\nshow 1\n1\n1\n"
    out = await drive(ctx, script)
    listed = after(out, "Recent messages with buttons")
    assert "  1. #data-oncall: Incident #1: Growth Pipeline (sev2) [Acknowledge, Escalate, Resolve]" in listed
    shown = after(listed, "→ #data-oncall:\nIncident #1")
    assert "👀 Acknowledged by Carol." in shown and "Status: acknowledged" in shown
    assert "[1] Escalate" in shown  # the root shows the buttons left; 1 now escalates
    assert "Escalated to level 1" in after(shown, "[1] Escalate")


async def test_volunteer_for_an_absence_as_someone_else(ctx: AppContext) -> None:
    out = await drive(ctx, "/oncall away 2026-12-09 2026-12-10 dentist\nas david\n1\n")
    call = after(out, "→ #data-oncall:\n🌴 @Alice is away, so the schedule changed:")
    assert "[1] I'll cover" in call
    assert "→ DM to Bob:" in call and "→ DM to Carol:" in call
    taken = after(call, "as David")
    assert "↻ #data-oncall (updated):\n🌴 @Alice is away" in taken
    assert "• data-oncall: @David backup Wed 09 Dec 00:00 EST → Fri 11 Dec 00:00 EST" in taken
    assert "🙌 @David volunteered as backup" in taken
    assert "→ DM to Carol:" in taken and "no longer data-oncall backup" in taken  # the bot's pick, released


async def test_tick_the_month_end_checklist(ctx: AppContext) -> None:
    object.__setattr__(ctx, "clock", lambda: datetime(2026, 12, 23, 10, tzinfo=NY))
    out = await drive(ctx, "run-job month-end\n2\n2\n", person="bob")
    posted = after(out, "Month-end checklist: Profit Pipeline, 2026-12")
    assert "[2] ☐ Financial records completeness is above 99.5%" in posted
    ticked = after(posted, "↻ #data-oncall (updated):")
    assert "✅ Financial records completeness is above 99.5% — @Bob" in ticked
    assert "[2] ☑ Financial records completeness" in ticked
    unticked = after(ticked, "↻ #data-oncall (updated):")
    assert "🔲 Financial records completeness is above 99.5%" in unticked


async def test_the_clock_moves_and_an_unacknowledged_incident_escalates(ctx: AppContext) -> None:
    out = await drive(
        ctx,
        "clock 2026-12-08T12:00\n/incident growth sev1 numbers are zero\nrun-job incidents\n"
        "clock +5m\nrun-job incidents\nclock now\nclock next tuesday\nclock 9999-12-31T23:59\nclock +2d\n",
    )
    assert "The shell's clock: Tue 08 Dec 2026 12:00 EST, standing still" in out
    assert "Nothing to escalate now." in after(out, "Incident #1")
    escalated = after(out, "The shell's clock: Tue 08 Dec 2026 12:05 EST")
    assert "(escalated: #1)" in escalated
    assert "→ #data-oncall, in the thread:" in escalated and "not acknowledged within 5 min" in escalated
    back = after(escalated, "(the real time)")  # `clock now`
    assert back.count("Usage: clock [") == 2  # neither prose nor the year 9999
    assert "The shell's clock: Thu 10 Dec 2026 12:00 EST, standing still" in back  # +2d from the real time


async def test_run_job_expires_requests_and_closes_calls_once_the_clock_passes_their_time(
    ctx: AppContext,
) -> None:
    script = (
        "/swap @carol 2027-01-04 cover\nrun-job swaps\n/oncall away 2026-12-09 2026-12-10\n"
        "run-job volunteers\nclock 2026-12-09T00:00\nrun-job volunteers\nrun-job volunteers\n"
        "clock 2027-01-04T09:00\nrun-job swaps\nrun-job swaps\nrun-job sweep\n"
    )
    out = await drive(ctx, script)
    assert "No swap request to expire now." in after(out, "[1] Approve  [2] Decline")
    assert "No call for a volunteer is past its deadline now." in after(out, "[1] I'll cover")
    closed = after(out, "The shell's clock: Wed 09 Dec 2026 00:00 EST")
    assert "↻ #data-oncall (updated):\n🌴 @Alice is away" in closed  # the call's buttons are gone
    assert "→ #data-oncall:\n🌴 Nobody volunteered while @Alice is away" in closed
    assert "• @Carol backup Wed 09 Dec 00:00 EST → Fri 11 Dec 00:00 EST" in closed
    assert "(closed calls for a volunteer: #1, the bot's pick stands)\nNo call for a volunteer" in closed
    expired = after(closed, "The shell's clock: Mon 04 Jan 2027 09:00 EST")
    assert "↻ DM to Carol (updated):\n⌛ Swap request #1 from @Alice expired" in expired
    assert "→ DM to you:\n⌛ Your swap request #1 to @Carol expired" in expired
    assert "(expired swap requests: #1)\nNo swap request to expire now." in expired
    assert "Usage: run-job handoff|reminders|month-end|incidents|swaps|volunteers" in expired


async def test_admin_rules_hold_in_the_shell_as_in_slack(ctx: AppContext) -> None:
    others = "/oncall away @bob 2026-12-21 2026-12-22\n/oncall away list all\n/swap list all\n"
    refused = await drive(ctx, others, person="carol")
    assert "only admins record absences for someone else" in refused
    assert "only admins list someone else's absences" in refused
    assert "only admins list everyone's swaps" in refused
    allowed = await drive(ctx, others, person="david")
    assert "only admins" not in allowed
    assert "Recorded absence #1: @Bob away" in allowed
    assert "#1: @Bob Mon 21 Dec" in after(allowed, "Everyone's absences")


async def test_run_job_heartbeats_in_the_shell(ctx: AppContext) -> None:
    out = await drive(ctx, "run-job heartbeats\n")
    assert "No heartbeat is late now." in out
