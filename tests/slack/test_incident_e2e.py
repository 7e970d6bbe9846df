"""Incidents end to end through the HTTP endpoint with the fake Slack: declared by command, form and
shortcut; the right people reached; every button; timers on an injected clock; failures and repeats."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import AppContext
from bot.delivery.incidents import incidents_channel
from bot.delivery.slack_api import make_client
from bot.features.incidents import service as incidents
from bot.features.oncall.views import TeamViews, load_view
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.jobs.incidents import escalate_due
from bot.settings import Settings
from bot.shell import run_shell
from bot.store.db import create_engine, session_factory
from bot.store.schedule import add_absence
from tests.incidents.fixtures import KAFKA_DOWN, lines, mrkdwn_texts, plain_texts
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID, NY, ROOT, SlackDriver, wait_for
from tests.slack.incident_calls import (
    button,
    declared,
    latest_root,
    press,
    roots,
    thread,
    thread_shown,
    thread_text,
)
from tests.slack.signing import command_body, signed_headers

WEEK6 = load_team_file(ROOT / "examples" / "week6-team.yaml")
SLACK_IDS = {p.id: p.slack_id for p in WEEK6.people}
CHRISTMAS = datetime(2026, 12, 25, 12, tzinfo=NY)  # David covers the holiday, Alice is backup
STRANGER = "U0STRANGER"
HOSTILE = "<!channel> @everyone <https://evil.example|x> <@U0ALICE01> & *bold* _it_ ~gone~ `code`"


@dataclasses.dataclass
class Clock:
    """The app's clock, moved by the test: handlers and the sweep read the same time."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(now: datetime) -> Clock:
    return Clock(now)


@pytest.fixture
def views() -> TeamViews:
    return TeamViews()


@pytest.fixture
def ctx(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: Clock, views: TeamViews
) -> AppContext:
    return AppContext(
        settings=settings, sessions=sessions, clock=clock, runbooks_dir=settings.runbooks_dir, views=views
    )


def interaction(payload: dict[str, Any]) -> str:
    base = {"team": {"id": "T0TEST", "domain": "example"}, "api_app_id": "A0TEST", "token": "legacy"}
    return urlencode({"payload": json.dumps({**base, **payload})})


def view_submission(view: dict[str, Any], values: dict[str, Any], *, user: str, view_id: str) -> str:
    state = {"values": {block: {block: value} for block, value in values.items()}}
    submitted = {**view, "id": view_id, "state": state, "hash": "1.abc"}
    return interaction(
        {"type": "view_submission", "user": {"id": user}, "trigger_id": "1.2.3", "view": submitted}
    )


def form_values(pipeline: str, summary: str, *, severity: str = "sev1", link: str | None = None) -> dict:  # type: ignore[type-arg]
    return {
        "pipeline": {"type": "static_select", "selected_option": {"value": pipeline}},
        "severity": {"type": "static_select", "selected_option": {"value": severity}},
        "summary": {"type": "plain_text_input", "value": summary},
        "link": {"type": "url_text_input", "value": link},
    }


async def submit(slack: SlackDriver, body: str) -> dict[str, Any]:
    response = await slack.post(body)
    assert response.status == 200, await response.text()
    text = await response.text()
    return json.loads(text) if text else {}


async def away(ctx: AppContext, person: str) -> None:
    """The person is on vacation from an hour ago for three days."""
    start = ctx.clock() - timedelta(hours=1)
    async with ctx.sessions() as session:
        await add_absence(
            session,
            person=person,
            start=start,
            end=start + timedelta(days=3),
            reason="vacation",
            actor=person,
            source="slack",
            at=start,
        )
        await session.commit()
    ctx.views.invalidate()


@pytest.mark.parametrize("pipeline", WEEK6.pipelines, ids=lambda p: p.key)
async def test_declare_by_command_for_each_pipeline(slack: SlackDriver, pipeline: Any) -> None:
    await declared(slack, f"{pipeline.key} sev1 numbers look wrong", user=STRANGER)
    [root] = roots(slack)
    assert_valid_blocks(root.args["blocks"])
    assert root.args["channel"] == "#data-oncall"
    assert f"Incident #1: {pipeline.name} (sev1)" in text_of(root.args)
    labels = [e["text"]["text"] for b in root.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Acknowledge", "Escalate", "Resolve"]
    reach, card, *full = thread(slack)
    for message in (reach, card, *full):
        assert_valid_blocks(message.args["blocks"])
        assert message.args["thread_ts"] == "1700000000.000001"
    reaching = reach.args["blocks"][0]["text"]["text"].split("\n")[0]
    for person in dict.fromkeys([pipeline.primary, pipeline.secondary, "alice"]):
        assert reaching.count(f"<@{SLACK_IDS[person]}>") == 1  # each once
    for message in (card, *full):  # nobody notified again, no escalation contact called yet
        assert "<@" not in text_of(message.args) and "<!subteam^" not in text_of(message.args)
    key = "What to check" if pipeline.key.endswith(("-daily", "-unit")) else "On-call actions"
    assert f"*{key}*" in text_of(card.args) and "Runbook:" in text_of(card.args)
    assert "*Data sources*" in text_of([m.args["blocks"] for m in full])  # the full text follows
    [link] = slack.fake.of("response:cmd")
    assert (
        "open its thread" in link.args["text"]
        and "archives/#data-oncall/p1700000000000001" in link.args["text"]
    )


@pytest.mark.parametrize(
    ("text", "title", "summary"),
    [
        ("Daily Growth Pipeline sev1 late", "Daily Growth Pipeline (sev1)", "late"),
        ("daily growth sev1 numbers late", "Daily Growth Pipeline (sev1)", "numbers late"),
        ("unit-level profit sev3 slow", "Unit-level Profit Pipeline (sev3)", "slow"),
        ("Profit Pipeline totals are off", "Profit Pipeline (sev2)", "totals are off"),
        ("sev1 growth broken", "Growth Pipeline (sev1)", "broken"),  # the severity first
        ("SEV3 Daily Growth Pipeline late", "Daily Growth Pipeline (sev3)", "late"),
    ],
)
async def test_declare_by_a_pipeline_name_of_several_words(
    slack: SlackDriver, text: str, title: str, summary: str
) -> None:
    await declared(slack, text)
    [root] = roots(slack)
    assert root.args["blocks"][0]["text"]["text"] == f"Incident #1: {title}"
    assert root.args["blocks"][1]["text"]["text"] == summary


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Daily Grwoth Pipeline sev1 late", "No pipeline is called `Daily`. Did you mean `profit-unit`, "),
        ("grwth sev1 numbers late", "No pipeline is called `grwth`. Did you mean `growth`?"),
        ("data missing for growth dashboard", "No pipeline is called `data`. Did you mean `growth` or "),
    ],
)
async def test_a_pipeline_not_named_exactly_pages_nobody(slack: SlackDriver, text: str, says: str) -> None:
    answer = await slack.command("/incident", text)
    assert_valid_blocks(answer["blocks"])
    said = answer["blocks"][0]["text"]["text"]
    assert says in said and "Usage: `/incident &lt;pipeline&gt; [sev1|sev2|sev3] &lt;summary&gt;`" in said
    assert roots(slack) == [] and slack.fake.calls == []
    assert "No open incident" in text_of(await slack.command("/incident", "list"))


@pytest.mark.parametrize("pipeline", WEEK6.pipelines, ids=lambda p: p.key)
async def test_declare_by_form_for_each_pipeline(slack: SlackDriver, pipeline: Any) -> None:
    assert await slack.command("/incident", "", user=STRANGER) == {}  # anyone may declare
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    form = slack.fake.of("views.open")[0].args["view"]
    assert_valid_blocks(form["blocks"], surface="modal")
    values = form_values(
        pipeline.key, "dashboard empty", severity="sev3", link="https://dash.example.com/a?b=1&c=2"
    )
    assert await submit(slack, view_submission(form, values, user=STRANGER, view_id="V1")) == {}
    await wait_for(lambda: bool(slack.fake.of("chat.postEphemeral")))
    root = roots(slack)[0].args["blocks"]
    assert f"Incident #1: {pipeline.name} (sev3)" in str(root) and "declared by <@U0STRANGER>" in str(root)
    assert "<https://dash.example.com/a?b=1&amp;c=2|link>" in str(root)
    [told] = slack.fake.of("chat.postEphemeral")
    assert told.args["channel"] == "C0ONCALL" and told.args["user"] == STRANGER
    assert "open its thread" in told.args["text"]


async def test_declarer_told_directly_when_the_channel_takes_no_ephemeral(slack: SlackDriver) -> None:
    await slack.command("/incident", "", user=STRANGER)  # typed where the bot may not post
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    form = slack.fake.of("views.open")[0].args["view"]
    slack.fake.fail("chat.postEphemeral", 500, times=3)  # every try refused
    await submit(slack, view_submission(form, form_values("growth", "late"), user=STRANGER, view_id="V1"))
    await wait_for(lambda: any(c.args["channel"] == STRANGER for c in slack.fake.of("chat.postMessage")))
    [told] = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == STRANGER]
    assert "open its thread" in told.args["text"]


async def test_form_says_what_is_missing(slack: SlackDriver) -> None:
    await slack.command("/incident", "")
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    form = slack.fake.of("views.open")[0].args["view"]
    values = form_values("growth", "   ", link="ftp://x y")
    del values["pipeline"]["selected_option"]
    answer = await submit(slack, view_submission(form, values, user=ALICE, view_id="V2"))
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"pipeline", "summary", "link"}
    assert roots(slack) == []


async def test_plain_day_mentions(slack: SlackDriver) -> None:
    await declared(slack, "growth late data from Kafka", user=STRANGER)
    text = thread(slack)[0].args["blocks"][0]["text"]["text"]
    assert text == f"*Reaching:* <@{BOB}> (primary owner), <@{CAROL}> (secondary owner), <@{ALICE}> (on call)"


async def test_the_declarer_is_named_not_mentioned(slack: SlackDriver) -> None:
    await declared(slack, "growth late data from Kafka", user=CAROL)  # Carol owns growth too
    text = thread(slack)[0].args["blocks"][0]["text"]["text"]
    carol = "*Carol* (secondary owner, declared it)"
    assert text == f"*Reaching:* <@{BOB}> (primary owner), {carol}, <@{ALICE}> (on call)"


async def test_the_thread_shows_each_runbook_section_once(slack: SlackDriver) -> None:
    await declared(slack, "growth late data from Kafka")
    shown = thread_shown(slack)
    for heading in ("Potential issues", "On-call actions", "Escalation", "Description", "SLAs"):
        assert shown.count(f"*{heading}*") == 1, heading
    # The on-call sections come first, the rest after them.
    assert shown.index("*On-call actions*") < shown.index("*Description*")


@pytest.mark.parametrize("now", [CHRISTMAS])
async def test_holiday_mentions(slack: SlackDriver) -> None:
    await declared(slack, "growth nothing loads")
    text = thread(slack)[0].args["blocks"][0]["text"]["text"]
    # Alice covers Christmas (see tests/schedule/test_holidays.py), David is the week's backup.
    assert text.split("\n")[0] == (
        f"*Reaching:* <@{ALICE}> (on call), <@{DAVID}> (on-call backup, standing in)"
    )
    assert f"Bob (primary owner) is off for Christmas Day, so <@{DAVID}> stands in." in text
    assert f"Carol (secondary owner) is off for Christmas Day, so <@{DAVID}> stands in." in text
    assert f"<@{BOB}>" not in thread_text(slack) and f"<@{CAROL}>" not in thread_text(slack)


async def test_absence_mentions(slack: SlackDriver, ctx: AppContext) -> None:
    await away(ctx, "carol")
    await declared(slack, "engagement duplicates", user=STRANGER)
    text = thread(slack)[0].args["blocks"][0]["text"]["text"]
    reaching = text.split("\n")[0]
    assert f"<@{CAROL}>" not in reaching
    assert (
        f"<@{DAVID}> (secondary owner), <@{ALICE}> (on call), <@{BOB}> (on-call backup, standing in)"
        in reaching
    )
    assert f"Carol (primary owner) is away (vacation), so <@{BOB}> stands in." in text
    assert f"<@{CAROL}>" not in thread_text(slack)


async def test_acknowledge_once_even_on_a_double_click(slack: SlackDriver) -> None:
    await declared(slack, "growth sev1 late data")
    await press(slack, "Acknowledge", count=2)
    await wait_for(lambda: bool(slack.fake.of("chat.update")) and bool(slack.fake.of("response:action")))
    [update] = slack.fake.of("chat.update")
    assert_valid_blocks(update.args["blocks"])
    assert update.args["ts"] == "1700000000.000001"
    assert "Status: *acknowledged*" in text_of(update.args) and "acknowledged by *Bob*" in str(update.args)
    assert "Acknowledge'" not in text_of(update.args)
    [second] = slack.fake.of("response:action")
    assert second.args["text"] == "It was already acknowledged."
    assert thread_text(slack).count("Acknowledged by *Bob*") == 1


@pytest.mark.parametrize("label", ["Acknowledge", "Escalate", "Resolve"])
async def test_only_the_team_changes_an_incident(slack: SlackDriver, label: str) -> None:
    await declared(slack, "growth sev2 slow")
    await press(slack, label, user=STRANGER)
    await wait_for(lambda: bool(slack.fake.of("response:action")))
    told = slack.fake.of("response:action")[0].args["text"]
    assert told == f"Only members of the team can {label.lower()} an incident."
    assert slack.fake.of("chat.update") == [] and slack.fake.of("views.open") == []


async def test_escalate_resolve_reopen(slack: SlackDriver) -> None:
    await declared(slack, "engagement sev2 Kafka down")
    await press(slack, "Escalate")
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 1)
    assert "Escalated to level 1 (escalation contacts) by *Bob*. <!subteam^S0INFRA01>" in thread_text(slack)
    await press(slack, "Escalate", user=DAVID)
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 2)
    assert f"Escalated to level 2 (admins) by *David*. <@{ALICE}>, <@{DAVID}>" in thread_text(slack)
    await press(slack, "Escalate")
    await wait_for(lambda: bool(slack.fake.of("response:action")))
    assert slack.fake.of("response:action")[0].args["text"] == "Every escalation level was already called."

    await press(slack, "Resolve")
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    form = slack.fake.of("views.open")[0].args["view"]
    resolution = {"resolution": {"type": "plain_text_input", "value": "Infra restarted the brokers <!here>"}}
    assert await submit(slack, view_submission(form, resolution, user=BOB, view_id="V9")) == {}
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 3)
    root = latest_root(slack)
    assert "Status: *resolved*" in str(root)
    assert "Resolution: Infra restarted the brokers <!here>" in plain_texts(root)
    assert [e["text"]["text"] for b in root if b["type"] == "actions" for e in b["elements"]] == ["Reopen"]
    again = await submit(slack, view_submission(form, resolution, user=BOB, view_id="V9"))
    assert again["errors"] == {"resolution": "Incident #1 was already resolved."}

    await press(slack, "Reopen", user=CAROL)
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 4)
    # Escalation starts over from level 0, and the owners and the on-call primary hear of it again;
    # Carol, who reopened it, is named.
    reopened = thread(slack)[-1].args["blocks"]
    said = " ".join(lines(reopened))
    assert "Reopened by *Carol*; it escalates again if nobody acknowledges it." in said
    assert (
        f"*Reaching:* *Carol* (primary owner, reopened it), <@{DAVID}> (secondary owner), <@{ALICE}>" in said
    )
    assert "Acknowledge" in str(latest_root(slack)) and "Status: *open*" in str(latest_root(slack))
    await press(slack, "Escalate", user=DAVID)
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 5)
    assert thread_text(slack).count("Escalated to level 1 (escalation contacts)") == 2
    status = await slack.command("/incident", "status 1")
    timeline = text_of(status)
    for said in ("Declared by", "Escalated to level 1", "Escalated to level 2", "Resolved by", "Reopened by"):
        assert said in timeline


async def test_a_second_declarer_is_offered_to_join_the_open_incident(
    slack: SlackDriver, clock: Clock
) -> None:
    await declared(slack, "growth sev2 numbers late", user=CAROL)
    clock.at += timedelta(minutes=3)
    offer = await slack.command("/incident", "growth sev1 dashboard empty", user=BOB)
    assert_valid_blocks(offer["blocks"])
    said = str(offer["blocks"])
    assert "Is it the same outage?" in said
    assert "*#1* on Growth Pipeline is open (declared 3 min ago by *Carol*):" in said
    assert len(roots(slack)) == 1  # nothing opened before Bob says which
    join = button(offer["blocks"], "Join #1")
    assert await slack.press(join["action_id"], join["value"], user=BOB) == 200
    await wait_for(lambda: bool(slack.fake.of("response:action")))
    assert (
        "You joined incident #1: what you saw is in its thread."
        in slack.fake.of("response:action")[-1].args["text"]
    )
    await wait_for(lambda: "joined: they see the same outage" in thread_text(slack))
    assert "*Bob* joined" in thread_text(slack) and "dashboard empty" in thread_text(slack)
    assert len(roots(slack)) == 1
    status = str((await slack.command("/incident", "status 1"))["blocks"])
    assert "joined: they see the same outage" in status


async def test_a_second_declarer_may_declare_a_new_one_after_all(slack: SlackDriver) -> None:
    await declared(slack, "growth sev2 numbers late", user=CAROL)
    offer = await slack.command("/incident", "growth sev1 dashboard empty", user=BOB)
    new = button(offer["blocks"], "Declare a new one")
    for _ in range(2):  # pressed twice: declared once
        assert await slack.press(new["action_id"], new["value"], user=BOB) == 200
    await wait_for(lambda: len(roots(slack)) == 2)
    await wait_for(
        lambda: any("Incident #2: <" in str(c.args.get("text")) for c in slack.fake.of("response:action"))
    )
    note = next(
        c.args["text"]
        for c in slack.fake.of("response:action")
        if "Incident #2: <" in str(c.args.get("text"))
    )
    assert "#1> on Growth Pipeline is already open" in note
    assert len(roots(slack)) == 2 and "Incident #2: Growth Pipeline (sev1)" in str(
        roots(slack)[1].args["blocks"]
    )

    await declared(slack, "profit sev3 totals off", user=BOB)  # another pipeline: no offer
    assert "Note" not in slack.fake.of("response:cmd")[-1].args["text"]


async def test_automatic_escalation_on_an_injected_clock(slack: SlackDriver, ctx: AppContext) -> None:
    await declared(slack, "engagement sev1 Kafka down")
    client = make_client(ctx.settings)
    declared_at = ctx.clock()
    assert await escalate_due(ctx, client, now=declared_at + timedelta(minutes=4, seconds=59)) == []
    assert await escalate_due(ctx, client, now=declared_at + timedelta(minutes=5)) == [1]
    assert await escalate_due(ctx, client, now=declared_at + timedelta(minutes=6)) == []
    said = thread_text(slack)
    assert said.count("Escalated to level 1") == 1
    assert "automatically: sev1 not acknowledged within 5 minutes. <!subteam^S0INFRA01>" in said
    assert "escalation level 1" in str(latest_root(slack))
    await press(slack, "Acknowledge")
    await wait_for(lambda: "Acknowledged by" in thread_text(slack))
    assert await escalate_due(ctx, client, now=declared_at + timedelta(hours=2)) == []
    assert "Escalated to level 2" not in thread_text(slack)


async def test_each_automatic_escalation_says_how_long_it_went_unacknowledged(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await declared(slack, "engagement sev1 Kafka down")
    client = make_client(ctx.settings)
    declared_at = ctx.clock()
    for minutes in (5, 10):
        assert await escalate_due(ctx, client, now=declared_at + timedelta(minutes=minutes)) == [1]
    first, second = [line for line in thread_shown(slack).split("\n") if "Escalated" in line]
    assert "level 1 (escalation contacts) automatically: sev1 not acknowledged within 5 minutes." in first
    assert (
        "level 2 (admins) automatically: sev1 not acknowledged 10 minutes after it was declared "
        "(5 minutes after level 1 was called)."
    ) in second
    status = text_of(await slack.command("/incident", "status 1"))
    assert "10 minutes after it was declared (5 minutes after level 1 was called)" in status


async def test_a_late_escalation_says_how_long_it_really_went_unacknowledged(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await declared(slack, "engagement sev1 Kafka down")
    late = ctx.clock() + timedelta(minutes=26)  # the sweep was down for a while
    assert await escalate_due(ctx, make_client(ctx.settings), now=late) == [1]
    [line] = [line for line in thread_shown(slack).split("\n") if "Escalated" in line]
    assert "sev1 not acknowledged 26 minutes after it was declared (the limit is 5 minutes)." in line


async def sweep_after_a_restart(ctx: AppContext, *, now: datetime) -> list[int]:
    """The sweep of a process started afresh: its own engine and client, nothing kept in memory."""
    engine = create_engine(ctx.settings.database_url)
    try:
        restarted = dataclasses.replace(ctx, sessions=session_factory(engine), views=TeamViews())
        return await escalate_due(restarted, make_client(ctx.settings), now=now)
    finally:
        await engine.dispose()


async def test_timers_survive_a_restart(slack: SlackDriver, ctx: AppContext) -> None:
    await declared(slack, "growth sev2 numbers late")  # no contacts on file: the admins come first
    declared_at = ctx.clock()
    assert await sweep_after_a_restart(ctx, now=declared_at + timedelta(minutes=14)) == []
    assert await sweep_after_a_restart(ctx, now=declared_at + timedelta(minutes=15)) == [1]
    assert await sweep_after_a_restart(ctx, now=declared_at + timedelta(minutes=16)) == []
    said = thread_text(slack)
    assert said.count("Escalated to level 1") == 1
    assert f"(admins) automatically: sev2 not acknowledged within 15 minutes. <@{ALICE}>, <@{DAVID}>" in said
    assert "escalation level 1" in str(latest_root(slack))


async def test_a_redelivered_command_declares_once(slack: SlackDriver) -> None:
    body = command_body(
        "/incident", "profit sev2 totals look wrong", user_id=ALICE, response_url=slack.fake.response_url()
    )
    first = await slack.post(body, signed_headers(body))
    again = await slack.post(body, signed_headers(body))
    assert first.status == again.status == 200
    assert "was already declared" in str(await again.json())
    await wait_for(lambda: bool(slack.fake.of("response:cmd")))
    assert len(roots(slack)) == 1


async def test_a_repeated_form_submission_declares_once(slack: SlackDriver) -> None:
    await slack.command("/incident", "")
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    form = slack.fake.of("views.open")[0].args["view"]
    body = view_submission(form, form_values("growth", "late"), user=ALICE, view_id="V7")
    await asyncio.gather(submit(slack, body), submit(slack, body))
    await wait_for(lambda: len(slack.fake.of("chat.postEphemeral")) == 2)
    assert len(roots(slack)) == 1
    assert any("already declared" in c.args["text"] for c in slack.fake.of("chat.postEphemeral"))


async def shortcut_form(slack: SlackDriver, message: dict[str, Any]) -> dict[str, Any]:
    """The form the shortcut opens on this message in #random."""
    shortcut = {
        "type": "message_action",
        "callback_id": "incident.from_message",
        "trigger_id": "5.6.7",
        "user": {"id": DAVID},
        "channel": {"id": "C0RANDOM", "name": "random"},
        "message": {"user": BOB, **message},
        "message_ts": message["ts"],
        "response_url": slack.fake.response_url("shortcut"),
    }
    opened = len(slack.fake.of("views.open"))
    assert (await slack.post(interaction(shortcut))).status == 200
    await wait_for(lambda: len(slack.fake.of("views.open")) > opened)
    return dict(slack.fake.of("views.open")[-1].args["view"])


async def test_shortcut_prefills_the_form_once_per_message(slack: SlackDriver) -> None:
    message = {"type": "message", "text": "Kafka lag is 3h on clickstream", "ts": "1700000500.000100"}
    form = await shortcut_form(slack, message)
    fields = {b["block_id"]: b["element"] for b in form["blocks"]}
    assert fields["summary"]["initial_value"] == "Kafka lag is 3h on clickstream"
    assert fields["link"]["initial_value"] == "https://example.slack.com/archives/C0RANDOM/p1700000500000100"
    for view_id, user in (("V1", DAVID), ("V2", ALICE)):  # two people open it from the same message
        values = form_values(
            "engagement-daily", fields["summary"]["initial_value"], link=fields["link"]["initial_value"]
        )
        await submit(slack, view_submission(form, values, user=user, view_id=view_id))
    await wait_for(lambda: len(slack.fake.of("chat.postEphemeral")) == 2)
    assert len(roots(slack)) == 1 and "p1700000500000100|link>" in text_of(roots(slack)[0].args)


async def assert_shown_as_written(slack: SlackDriver, text: str) -> None:
    """Root, list and status show the text exactly as written, and nothing of it formats or pings."""
    listed = (await slack.command("/incident", "list"))["blocks"]
    status = (await slack.command("/incident", "status 1"))["blocks"]
    for blocks in (roots(slack)[0].args["blocks"], listed, status):
        assert_valid_blocks(blocks)
        assert text in plain_texts(blocks)
        said = " ".join(mrkdwn_texts(blocks))
        assert "evil" not in said and "bold" not in said and "<@U0ALICE01>" not in said


def encoded(typed: str) -> str:
    """Text as Slack sends what someone typed: &, < and > as entities."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        (encoded(HOSTILE), HOSTILE),
        # Slack turns what people type into tokens (the command has should_escape): shown as typed.
        (
            "<!channel> <!here|here> ask <@U0ALICE01|alice> in <#C0DATA01|data-eng>: "
            "<https://evil.example/x?a=1&amp;b=2|the board> &lt; 3 &amp;&amp; *bold*",
            "@channel @here ask @Alice in #data-eng: "
            "the board (https://evil.example/x?a=1&b=2) < 3 && *bold*",
        ),
    ],
    ids=["typed-literally", "typed-as-mentions"],
)
async def test_a_hostile_summary_typed_in_the_command_is_shown_as_written(
    slack: SlackDriver, sent: str, shown: str
) -> None:
    await declared(slack, f"growth sev1 {sent}")
    await assert_shown_as_written(slack, shown)
    assert "<!channel>" not in str(roots(slack)[0].args) and "<!here" not in str(roots(slack)[0].args)


async def test_a_shortcut_on_a_hostile_message_prefills_what_its_author_typed(slack: SlackDriver) -> None:
    text = (
        "<!channel> Kafka lag &gt; 3h, ask <@U0ALICE01> &amp; <@U0NOBODY1>: "
        "<https://grafana.example/d/1|dashboard> *now*"
    )
    form = await shortcut_form(slack, {"type": "message", "text": text, "ts": "1700000500.000100"})
    typed = "@channel Kafka lag > 3h, ask @Alice & @U0NOBODY1: dashboard (https://grafana.example/d/1) *now*"
    assert {b["block_id"]: b["element"] for b in form["blocks"]}["summary"]["initial_value"] == typed
    await submit(slack, view_submission(form, form_values("engagement", typed), user=DAVID, view_id="V1"))
    await wait_for(lambda: bool(slack.fake.of("chat.postEphemeral")))
    await assert_shown_as_written(slack, typed)
    root = str(roots(slack)[0].args)
    assert "<!channel>" not in root and "<@U0ALICE01>" not in root and "&amp;" not in root


async def test_a_hostile_summary_typed_in_the_form_is_shown_as_written(slack: SlackDriver) -> None:
    await slack.command("/incident", "", user=STRANGER)
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    form = slack.fake.of("views.open")[0].args["view"]
    await submit(slack, view_submission(form, form_values("growth", HOSTILE), user=STRANGER, view_id="V1"))
    await wait_for(lambda: bool(slack.fake.of("chat.postEphemeral")))
    await assert_shown_as_written(slack, HOSTILE)


async def test_slack_failing_mid_way_loses_and_doubles_nothing(slack: SlackDriver, ctx: AppContext) -> None:
    slack.fake.fail("chat.postMessage", 500, times=3, after=1)  # the root goes out, its thread does not
    answer = await slack.command("/incident", "aggregated sev1 OOM in join")
    assert "Incident #1 declared" in text_of(answer)
    await wait_for(lambda: bool(slack.fake.of("response:cmd")))
    assert len(slack.fake.of("chat.postMessage")) == 4  # the root, then the thread's first post tried thrice
    assert "Incident #1: Aggregated Data Pipeline" in text_of(
        (await slack.command("/incident", "status 1"))["blocks"]
    )
    await escalate_due(ctx, make_client(ctx.settings), now=ctx.clock())  # the sweep finishes the thread
    assert len(roots(slack)) == 1
    assert "Reaching:" in thread_text(slack) and "Runbook:" in thread_text(slack)
    posts = len(slack.fake.of("chat.postMessage"))
    await escalate_due(ctx, make_client(ctx.settings), now=ctx.clock())
    assert len(slack.fake.of("chat.postMessage")) == posts  # nothing twice


async def test_slack_down_for_the_root_keeps_the_incident(slack: SlackDriver, ctx: AppContext) -> None:
    slack.fake.fail("chat.postMessage", 500, times=3)
    await slack.command("/incident", "growth sev2 slow")
    await wait_for(lambda: bool(slack.fake.of("response:cmd")))
    assert "its thread will follow" in slack.fake.of("response:cmd")[0].args["text"]
    await escalate_due(ctx, make_client(ctx.settings), now=ctx.clock())
    assert len(roots(slack)) == 4 and len(thread(slack)) >= 3  # three failed tries, then the real post


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("help", "/incident list"),
        ("growth", "Usage: `/incident &lt;pipeline&gt;"),
        ("growth sev1", "Say what is wrong"),
        ("growth sev5 broken", "not `sev5`"),
        ("sev5 growth broken", "not `sev5`"),
        ("growth " + "x" * 501, "The summary is at most 500 characters (this one has 501)"),
        ("xyzzy it broke", "No pipeline is called `xyzzy`. The pipelines are `profit`, "),
        ("status 42", "There is no incident #42. Usage: `/incident status &lt;id&gt;`"),
        ("status three", "Usage: `/incident status &lt;id&gt;`"),
        ("resolve 1", "Usage: `/incident resolve &lt;id&gt;"),
    ],
)
async def test_bad_input(slack: SlackDriver, text: str, says: str) -> None:
    answer = await slack.command("/incident", text)
    assert_valid_blocks(answer["blocks"])
    assert says in text_of(answer)


async def test_resolve_by_command(slack: SlackDriver) -> None:
    await declared(slack, "growth sev3 slow")
    refused = await slack.command("/incident", "resolve 1 fixed it", user=STRANGER)
    assert "Only members of the team can resolve" in text_of(refused)
    done = await slack.command("/incident", "resolve 1 reran the job", user=BOB)
    assert "Incident #1 is resolved." in text_of(done)
    await wait_for(lambda: bool(slack.fake.of("chat.update")))
    assert "Resolved by *Bob*. reran the job" in thread_shown(slack)
    assert "No open incident" in text_of(await slack.command("/incident", "list"))
    updates = len(slack.fake.of("chat.update"))
    await press(slack, "Reopen", user=STRANGER)
    await wait_for(lambda: bool(slack.fake.of("response:action")))
    told = slack.fake.of("response:action")[0].args["text"]
    assert told == "Only members of the team can reopen an incident."
    assert len(slack.fake.of("chat.update")) == updates and "Status: *resolved*" in str(latest_root(slack))


async def test_an_incident_from_declaration_to_resolution_in_the_shell(ctx: AppContext) -> None:
    script = (
        "/incident Engagement Pipeline sev1 Kafka down\n1\n1\n"
        "/incident resolve 1 restarted the brokers\n1\n/incident\n"
    )
    out = io.StringIO()
    await run_shell(ctx, as_person="bob", stdin=io.StringIO(script), stdout=out)
    said = out.getvalue()
    assert "Incident #1: Engagement Pipeline (sev1)" in said and "[1] Acknowledge  [2] Escalate" in said
    assert "Reaching: @Carol (primary owner), @David (secondary owner), @Alice (on call)" in said
    assert "👀 Acknowledged by Bob." in said and "Status: acknowledged" in said
    assert "🚨 Escalated to level 1 (escalation contacts) by Bob. @S0INFRA01" in said
    assert "✅ Resolved by Bob.\nrestarted the brokers" in said and "[1] Reopen" in said
    assert "🔄 Reopened by Bob" in said and said.count("Status: open") == 2
    assert "[form: Declare an incident]" in said


async def test_threads_go_to_the_setting_else_the_rotation_channel(ctx: AppContext) -> None:
    async with ctx.sessions() as session:
        view = await load_view(session)
    assert incidents_channel(ctx, view) == "#data-oncall"
    moved = dataclasses.replace(
        ctx, settings=ctx.settings.model_copy(update={"incidents_channel": "#incidents"})
    )
    assert incidents_channel(moved, view) == "#incidents"


async def escalate_twice(slack: SlackDriver, *, at_once: bool) -> None:
    """Two clicks on the same Escalate button: together, or the second once the first is done."""
    target = button(latest_root(slack), "Escalate")
    clicks = [slack.press(target["action_id"], target["value"], user=user) for user in (BOB, DAVID)]
    if at_once:
        assert set(await asyncio.gather(*clicks)) == {200}
    else:
        assert await clicks[0] == 200
        await wait_for(lambda: len(slack.fake.of("chat.update")) == 1)
        assert await clicks[1] == 200
    await wait_for(lambda: bool(slack.fake.of("chat.update")) and bool(slack.fake.of("response:action")))


@pytest.mark.parametrize("at_once", [False, True], ids=["one-after-the-other", "at-once"])
async def test_a_double_click_on_escalate_calls_one_level(slack: SlackDriver, at_once: bool) -> None:
    await declared(slack, "engagement sev2 Kafka down")
    await escalate_twice(slack, at_once=at_once)
    [told] = slack.fake.of("response:action")
    assert told.args["text"] == "It was just escalated by someone else."
    assert told.args["response_type"] == "ephemeral"
    said = thread_text(slack)
    assert said.count("Escalated to level") == 1 and "level 1 (escalation contacts)" in said
    assert "(admins)" not in said and len(slack.fake.of("chat.update")) == 1
    assert "escalation level 1" in str(latest_root(slack))


async def test_escalate_on_a_message_from_before_buttons_carried_the_level(slack: SlackDriver) -> None:
    await declared(slack, "engagement sev2 Kafka down")
    target = button(latest_root(slack), "Escalate")
    assert await slack.press(target["action_id"], "1") == 200  # the value such buttons carried
    await wait_for(lambda: bool(slack.fake.of("chat.update")))
    assert "Escalated to level 1 (escalation contacts) by *Alice*" in thread_text(slack)


async def test_a_reopened_sev2_escalates_15_minutes_after_the_reopen_once(
    slack: SlackDriver, ctx: AppContext, clock: Clock
) -> None:
    declared_at = clock.at
    await declared(slack, "engagement sev2 Kafka lag")  # levels: infrastructure, then the admins
    clock.at = declared_at + timedelta(minutes=2)
    await press(slack, "Acknowledge")
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 1)
    clock.at = declared_at + timedelta(minutes=10)
    await slack.command("/incident", "resolve 1 restarted the consumer", user=BOB)
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 2)
    reopened_at = clock.at = declared_at + timedelta(hours=1)
    await press(slack, "Reopen", user=CAROL)
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 3)
    assert "Reopened by *Carol*; it escalates again if nobody acknowledges it." in thread_text(slack)

    client = make_client(ctx.settings)
    for minutes, escalated in ((0, []), (14.99, []), (15, [1]), (16, []), (29.99, [])):
        at = reopened_at + timedelta(minutes=minutes)
        assert await escalate_due(ctx, client, now=at) == escalated, f"{minutes} min after the reopen"
    said = thread_text(slack)
    assert said.count("Escalated to level") == 1
    reason = "sev2 not acknowledged within 15 minutes of being reopened"
    assert f"level 1 (escalation contacts) automatically: {reason}" in said
    assert "escalation level 1" in str(latest_root(slack)) and "Acknowledge" in str(latest_root(slack))


async def test_a_root_update_that_fails_is_retried_by_the_sweep_without_a_second_message(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await declared(slack, "growth sev1 late data")
    slack.fake.fail("chat.update", 500, times=3)  # every try of the update refused
    await press(slack, "Acknowledge")
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 3)
    assert thread_text(slack).count("Acknowledged by *Bob*") == 1
    assert "Status: *open*" in text_of(roots(slack)[0].args)

    client = make_client(ctx.settings)
    await escalate_due(ctx, client, now=ctx.clock())
    assert len(slack.fake.of("chat.update")) == 4
    assert "Status: *acknowledged*" in str(latest_root(slack))
    assert thread_text(slack).count("Acknowledged by *Bob*") == 1  # the thread message not sent again
    posts = len(slack.fake.of("chat.postMessage"))
    await escalate_due(ctx, client, now=ctx.clock())
    assert len(slack.fake.of("chat.update")) == 4 and len(slack.fake.of("chat.postMessage")) == posts


async def test_an_out_of_memory_failure_calls_the_whole_data_team(slack: SlackDriver) -> None:
    await declared(slack, "aggregated sev1 OOM in the Spark join")
    await press(slack, "Escalate")
    await wait_for(lambda: bool(slack.fake.of("chat.update")))
    [escalated] = [line for line in thread_shown(slack).split("\n") if "Escalated" in line]
    team = ", ".join(f"<@{slack_id}>" for slack_id in (ALICE, BOB, CAROL, DAVID))
    assert escalated.endswith(f"(escalation contacts) by *Bob*. {team}, <!subteam^S0APPTEAM1>")


async def test_an_escalation_to_the_admins_skips_an_admin_who_is_away(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await away(ctx, "alice")
    await declared(slack, "growth sev2 numbers late")  # no contacts: the admins are level 1
    await press(slack, "Escalate")
    await wait_for(lambda: bool(slack.fake.of("chat.update")))
    [escalated] = [line for line in thread_shown(slack).split("\n") if "Escalated" in line]
    assert escalated.endswith(
        f"(admins) by *Bob*. <@{DAVID}> :palm_tree: Alice is away (vacation), not mentioned."
    )
    status = text_of(await slack.command("/incident", "status 1"))
    assert f"(admins) by *Bob*. <@{DAVID}> :palm_tree: Alice is away (vacation), not mentioned." in status


@pytest.mark.parametrize("views", [TeamViews(recheck=3600)])  # this process rereads the team rarely
async def test_status_of_an_incident_on_a_pipeline_this_process_does_not_know_yet(
    slack: SlackDriver, ctx: AppContext
) -> None:
    assert "No open incident" in str(await slack.command("/incident", "list"))  # the team is read
    mirror = WEEK6.pipelines[0].model_copy(update={"key": "kafka-mirror", "name": "Kafka Mirror"})
    async with ctx.sessions() as session:  # another process adds a pipeline and declares on it
        grown = WEEK6.model_copy(update={"pipelines": [*WEEK6.pipelines, mirror]})
        await import_team(session, team=grown, actor="test", source="import")
        lag = dataclasses.replace(KAFKA_DOWN, pipeline="kafka-mirror", summary="lag", declared_by="bob")
        await incidents.declare(session, key="view:V1", declaration=lag, at=ctx.clock())
    status = (await slack.command("/incident", "status 1"))["blocks"]
    assert_valid_blocks(status)
    assert status[0]["text"]["text"] == "Incident #1: kafka-mirror (sev1)" and "Declared by" in str(status)


async def test_a_message_declares_a_second_incident_once_the_first_is_resolved(slack: SlackDriver) -> None:
    form = await shortcut_form(slack, {"type": "message", "text": "Kafka lag", "ts": "1700000500.000100"})

    async def submitted(view_id: str, summary: str) -> str:
        told = len(slack.fake.of("chat.postEphemeral"))
        values = form_values("engagement-daily", summary)
        await submit(slack, view_submission(form, values, user=DAVID, view_id=view_id))
        await wait_for(lambda: len(slack.fake.of("chat.postEphemeral")) > told)
        return str(slack.fake.of("chat.postEphemeral")[-1].args["text"])

    assert "Incident #1: <" in await submitted("V1", "Kafka lag")
    assert "Incident #1 was already declared" in await submitted("V2", "Kafka lag again")
    await slack.command("/incident", "resolve 1 consumer restarted", user=BOB)
    assert "Incident #2: <" in await submitted("V3", "Kafka lag is back")
    assert "Incident #2 was already declared" in await submitted("V3", "Kafka lag is back")  # sent twice
    assert len(roots(slack)) == 2
