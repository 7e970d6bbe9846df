"""Incident threads when Slack and other deliveries get in the way: the root message always ends up
showing the stored state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.features.incidents import service as incidents
from bot.jobs.incidents import escalate_due
from bot.store import incidents as store
from bot.store import ledger
from tests.incidents.fixtures import lines
from tests.slack.blocks_check import assert_valid_blocks
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID, SlackDriver, wait_for
from tests.slack.incident_calls import declared, direct, latest_root, press, thread, thread_shown


async def test_an_acknowledgement_shows_on_the_root_while_another_delivery_holds_the_thread(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await declared(slack, "engagement sev1 Kafka down")
    async with ctx.sessions() as session:  # another replica escalated it and is posting that right now
        view = await ctx.views.load(session)
        await incidents.escalate(session, view=view, incident_id=1, person="david", at=ctx.clock())
        [escalated] = [e for e in await store.events(session, 1) if not e.posted]
        key = f"incident:1:event:{escalated.id}"
        assert await ledger.claim(session, key=key, job="incident", owner="replica-2", now=ctx.clock())
    await press(slack, "Acknowledge")
    await wait_for(lambda: bool(slack.fake.of("chat.update")))
    root = str(latest_root(slack))
    assert "Status: *acknowledged*" in root and "escalation level 1" in root
    assert "Escalated" not in thread_shown(slack) and "Acknowledged" not in thread_shown(slack)

    async with ctx.sessions() as session:  # that replica died before posting: the sweep takes over
        await ledger.release(session, key=key)
    await escalate_due(ctx, make_client(ctx.settings), now=ctx.clock())
    events = [line for line in thread_shown(slack).split("\n") if "by *" in line]
    assert [line.split(" by ")[0] for line in events] == [
        ":rotating_light: Escalated to level 1 (escalation contacts)",
        ":eyes: Acknowledged",
    ]


async def test_a_change_stored_while_a_thread_message_is_sent_shows_on_the_root(
    slack: SlackDriver, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    await declared(slack, "engagement sev1 Kafka down")
    client = make_client(ctx.settings)
    post = client.chat_postMessage

    async def acknowledged_meanwhile(**message: Any) -> Any:
        """Bob clicks Acknowledge while the sweep posts the escalation."""
        answer = await post(**message)
        async with ctx.sessions() as session:
            await incidents.acknowledge(session, incident_id=1, person="bob", at=ctx.clock())
        return answer

    monkeypatch.setattr(client, "chat_postMessage", acknowledged_meanwhile)
    assert await escalate_due(ctx, client, now=ctx.clock() + timedelta(minutes=5)) == [1]
    root = str(latest_root(slack))
    assert "Status: *acknowledged*" in root and "escalation level 1" in root


async def test_a_thread_slack_refuses_tells_the_declarer_why_and_whom_it_would_reach_directly(
    slack: SlackDriver, ctx: AppContext
) -> None:
    slack.fake.refusals["chat.postMessage:#data-oncall"] = "not_in_channel"
    answer = await slack.command("/incident", "growth sev2 numbers late", user=CAROL)
    assert "Incident #1 declared" in str(answer["blocks"])
    await wait_for(lambda: bool(slack.fake.of("response:cmd")))
    [told] = slack.fake.of("response:cmd")
    assert told.args["text"] == (
        "Slack refused to post in #data-oncall: invite the bot to #data-oncall (/invite @oncall-bot). "
        "The incident is stored as #1 and will be posted once that is fixed. "
        "Meanwhile *Bob* and *Alice* were told by direct message."
    )
    dms = direct(slack)
    assert set(dms) == {BOB, ALICE}  # the owners and the on-call primary, but Carol who declared it
    for call in slack.fake.of("chat.postMessage")[1:]:
        assert_valid_blocks(call.args["blocks"])
    for [said] in dms.values():
        assert said.startswith("*Incident #1: Growth Pipeline (sev2)* numbers late")
        assert "Declared by *Carol*" in said and "refused to post in #data-oncall: invite the bot" in said

    client = make_client(ctx.settings)
    later = ctx.clock() + timedelta(minutes=15)
    assert await escalate_due(ctx, client, now=later) == [1]  # growth: the admins are level 1
    await escalate_due(ctx, client, now=later + timedelta(minutes=1))
    dms = direct(slack)
    assert {person: len(said) for person, said in dms.items()} == {BOB: 1, ALICE: 2, DAVID: 1}
    assert "Escalated to level 1 (admins) automatically: sev2 not acknowledged" in dms[DAVID][0]
    assert thread(slack) == []
    timeline = lines((await slack.command("/incident", "status 1"))["blocks"])
    not_posted = [line for line in timeline if "not posted in Slack yet" in line]
    [declaration, escalation] = not_posted
    assert "Declared by *Carol*" in declaration and "Escalated to level 1 (admins)" in escalation

    del slack.fake.refusals["chat.postMessage:#data-oncall"]  # the bot is invited: the next sweep posts all
    await escalate_due(ctx, client, now=later + timedelta(minutes=2))
    assert "Reaching:" in thread_shown(slack) and "Escalated to level 1 (admins)" in thread_shown(slack)
    assert direct(slack) == dms  # nobody told twice
    assert "not posted" not in str((await slack.command("/incident", "status 1"))["blocks"])
