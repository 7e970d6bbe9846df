"""`/runbook`, its buttons and App Home through the real HTTP endpoint."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.context import AppContext
from bot.store.schedule import add_absence
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.conftest import ALICE, BOB, SlackDriver


@pytest.mark.parametrize("name", ["growth", "Growth Pipeline", "grwth", "aggregate growth", "GROWTH"])
async def test_finds_growth_however_typed(slack: SlackDriver, name: str) -> None:
    answer = await slack.command("/runbook", name)
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer["blocks"])
    assert "Growth Pipeline" in text and f"*Primary owner:* <@{BOB}>" in text
    assert "*SLAs*" in text and "Missing status updates" in text
    assert f"primary <@{ALICE}>" in text  # who is on call now


async def test_lists_all_without_a_name(slack: SlackDriver) -> None:
    answer = await slack.command("/runbook")
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer["blocks"])
    assert all(key in text for key in ("`profit`", "`growth-daily`", "`aggregated`"))


async def test_ambiguous_name_offers_buttons(slack: SlackDriver) -> None:
    answer = await slack.command("/runbook", "eng")
    assert_valid_blocks(answer["blocks"])
    buttons = answer["blocks"][-1]["elements"]
    assert {b["value"] for b in buttons} == {"engagement", "engagement-daily"}


async def test_pressing_a_button_sends_the_runbook(slack: SlackDriver) -> None:
    status = await slack.press("runbook.show#1", "engagement")
    assert status == 200
    for _ in range(200):  # the listener finishes after the acknowledgement: the card, then the runbook
        if len(slack.fake.of("response:action")) >= 2:
            break
        await asyncio.sleep(0.01)
    [*messages] = slack.fake.of("response:action")
    assert messages
    for message in messages:
        assert_valid_blocks(message.args["blocks"])
    text = "\n".join(text_of(m.args["blocks"]) for m in messages)
    assert "Kafka downtime" in text and "<!subteam^S0INFRA01>" in text


@pytest.mark.parametrize("name", ["xyzzy", "../../etc/passwd", "<!channel>", "x" * 10_000])
async def test_unknown_or_hostile_names(slack: SlackDriver, name: str) -> None:
    answer = await slack.command("/runbook", name)
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer["blocks"])
    assert "No pipeline is called" in text and "`growth`" in text
    assert "Type `/runbook help`" in text and "/oncall help" not in text
    assert "root:" not in text


async def test_a_broken_runbook_is_reported_not_crashed(slack: SlackDriver, ctx: AppContext) -> None:
    (ctx.runbooks_dir / "growth.md").write_text("no front matter at all")
    answer = await slack.command("/runbook", "growth")
    assert_valid_blocks(answer["blocks"])
    assert "The runbook could not be read" in text_of(answer["blocks"])


async def test_app_home_is_published(slack: SlackDriver) -> None:
    home = await slack.app_home(ALICE)
    assert slack.fake.of("views.publish")[-1].args["view"]["type"] == "home"
    assert_valid_blocks(home, surface="home")
    text = text_of(home)
    assert "Your on-call" in text and "Profit Pipeline" in text and "On call now" in text


async def test_an_owner_away_is_shown_as_away(slack: SlackDriver, ctx: AppContext) -> None:
    start = ctx.clock() - timedelta(days=1)
    async with ctx.sessions() as session:
        await add_absence(
            session,
            person="bob",
            start=start,
            end=start + timedelta(days=5),
            reason="vacation",
            actor="bob",
            source="slack",
            at=start,
        )
        await session.commit()
    text = text_of((await slack.command("/runbook", "growth"))["blocks"])
    assert f"*Primary owner:* <@{BOB}> · :palm_tree: away (vacation)" in text
    assert "*Secondary owner:* <@U0CAROL01> · :large_green_circle: available" in text
