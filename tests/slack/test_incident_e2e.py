"""`/incident` end to end: stored first, then a thread that reaches the right people."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.slack.context import AppContext
from bot.store.schedule import add_absence
from tests.slack.blocks_check import assert_valid_blocks
from tests.slack.conftest import ALICE, BOB, CAROL, SlackDriver
from tests.slack.signing import command_body, signed_headers


async def posted(slack: SlackDriver, count: int) -> list[dict]:  # type: ignore[type-arg]
    for _ in range(200):  # the thread is posted after the acknowledgement
        if len(slack.fake.of("chat.postMessage")) >= count:
            break
        await asyncio.sleep(0.01)
    return [c.args for c in slack.fake.of("chat.postMessage")]


async def test_declaring_posts_root_and_thread(slack: SlackDriver) -> None:
    answer = await slack.command("/incident", "growth sev1 late data from Kafka <!channel>", user=CAROL)
    assert "Incident #1 declared" in str(answer["blocks"])
    root, reach, runbook = await posted(slack, 3)
    for message in (root, reach, runbook):
        assert_valid_blocks(message["blocks"])
    assert root["channel"] == "#data-oncall" and "Incident #1: Growth Pipeline (sev1)" in str(root["blocks"])
    assert "<!channel>" not in str(root["blocks"]) and "late data from Kafka" in str(root["blocks"])
    assert reach["thread_ts"] == runbook["thread_ts"] and reach["thread_ts"]
    text = str(reach["blocks"])
    assert f"<@{BOB}> (primary owner), <@{CAROL}> (secondary owner), <@{ALICE}> (on call)" in text
    assert "Missing status updates" in str(runbook["blocks"])


async def test_an_owner_away_is_named_and_not_counted(slack: SlackDriver, ctx: AppContext) -> None:
    start = ctx.clock() - timedelta(hours=1)
    async with ctx.sessions() as session:
        await add_absence(
            session,
            person="bob",
            start=start,
            end=start + timedelta(days=3),
            reason="vacation",
            actor="bob",
            source="slack",
            at=start,
        )
        await session.commit()
    ctx.views.invalidate()
    await slack.command("/incident", "growth nothing loads", user=CAROL)
    _, reach, _ = await posted(slack, 3)
    text = str(reach["blocks"])
    assert f"<@{BOB}>" not in text.split("Reaching:")[1].split("\\n")[0]
    assert "Bob (primary owner) is away (vacation), so <@" in text


async def test_a_redelivered_command_declares_once(slack: SlackDriver) -> None:
    body = command_body(
        "/incident", "profit sev2 totals look wrong", user_id=ALICE, response_url=slack.fake.response_url()
    )
    first = await slack.post(body, signed_headers(body))
    again = await slack.post(body, signed_headers(body))
    assert first.status == again.status == 200
    assert "was already declared" in str(await again.json())
    await posted(slack, 3)
    assert (
        len(
            [
                m
                for m in slack.fake.of("chat.postMessage")
                if "thread_ts" not in m.args or not m.args["thread_ts"]
            ]
        )
        == 1
    )


async def test_list_and_status(slack: SlackDriver) -> None:
    await slack.command("/incident", "engagement sev3 duplicates in raw data", user=ALICE)
    listed = await slack.command("/incident", "list")
    assert "#1 Engagement Pipeline (sev3)" in str(listed["blocks"])
    status = await slack.command("/incident", "status 1")
    assert "Incident #1: Engagement Pipeline (sev3)" in str(status["blocks"])
    assert "Usage: `/incident status <id>`" in str((await slack.command("/incident", "status 42"))["blocks"])


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "/incident list"),
        ("growth", "Usage: `/incident <pipeline>"),
        ("growth sev1", "Say what is wrong"),
        ("xyzzy it broke", "No pipeline is called `xyzzy`"),
    ],
)
async def test_bad_input(slack: SlackDriver, text: str, says: str) -> None:
    answer = await slack.command("/incident", text)
    assert_valid_blocks(answer["blocks"])
    assert says in str(answer["blocks"])


async def test_slack_failing_keeps_the_incident(slack: SlackDriver) -> None:
    slack.fake.fail("chat.postMessage", 500)
    assert "Incident #1 declared" in str(
        (await slack.command("/incident", "aggregated sev1 OOM in join"))["blocks"]
    )
    await posted(slack, 1)
    assert "Incident #1: Aggregated Data Pipeline" in str(
        (await slack.command("/incident", "status 1"))["blocks"]
    )


async def test_acknowledge_once_even_on_a_double_click(slack: SlackDriver, ctx: AppContext) -> None:
    await slack.command("/incident", "growth sev1 late data", user=CAROL)
    root, _, _ = await posted(slack, 3)
    [button] = [e for b in root["blocks"] if b["type"] == "actions" for e in b["elements"]]
    statuses = await asyncio.gather(
        *(slack.press(button["action_id"], button["value"], user=BOB) for _ in range(2))
    )
    assert statuses == [200, 200]
    for _ in range(200):
        if slack.fake.of("chat.update") and slack.fake.of("response:action"):
            break
        await asyncio.sleep(0.01)
    [update] = slack.fake.of("chat.update")
    assert_valid_blocks(update.args["blocks"])
    assert "acknowledged by <@U0BOB0001>" in str(update.args["blocks"]) and "actions" not in str(
        update.args["blocks"]
    )
    [second] = slack.fake.of("response:action")
    assert second.args["text"] == "It was already acknowledged."
    acks = [m for m in await posted(slack, 4) if m.get("text") == "Acknowledged by Bob."]
    assert len(acks) == 1


async def test_only_the_team_acknowledges(slack: SlackDriver) -> None:
    await slack.command("/incident", "growth sev2 slow", user=CAROL)
    root, _, _ = await posted(slack, 3)
    [button] = [e for b in root["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert await slack.press(button["action_id"], button["value"], user="U0STRANGER") == 200
    for _ in range(200):
        if slack.fake.of("response:action"):
            break
        await asyncio.sleep(0.01)
    assert slack.fake.of("response:action")[0].args["text"] == "Only members of the team can acknowledge."
    assert slack.fake.of("chat.update") == []
