"""Ticking the month-end checklist through the real endpoint; two people at once both count, and the
last tick says in the thread, once, that all is done."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.delivery.checklists import investor_pipelines, month_end_posts
from bot.delivery.post import Post
from bot.delivery.scheduled import send_post
from bot.delivery.slack_api import make_client
from bot.slack.actions.checklist import tick
from bot.store import checklists, ledger
from tests.slack.blocks_check import assert_valid_blocks
from tests.slack.conftest import ALICE, BOB, NY, SlackDriver, wait_for
from tests.slack.fakeslack import FakeSlack
from tests.slack.signing import signed_headers

PERIOD = "2026-11"
PROFIT = f"month-end:profit:{PERIOD}"
FIRST_DAY, SECOND_DAY = datetime(2026, 11, 23, 9, tzinfo=NY), datetime(2026, 11, 24, 9, tzinfo=NY)


async def month_end_posts_on(ctx: AppContext, day: datetime) -> list[Post]:
    """The month-end posts of every investor-facing pipeline on the window's business day `day`."""
    posts = []
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        for pipeline in investor_pipelines(view):
            posts += await month_end_posts(
                session,
                view=view,
                pipeline=pipeline,
                runbooks_dir=ctx.runbooks_dir,
                business_days=5,
                since=day - timedelta(hours=1),
                until=day + timedelta(hours=1),
            )
        await session.commit()
    return posts


async def checklist_message(ctx: AppContext) -> list[dict]:  # type: ignore[type-arg]
    """The Profit checklist's blocks as the first day of the window posts them, boxes as stored."""
    [profit] = [p for p in await month_end_posts_on(ctx, FIRST_DAY) if p.key == PROFIT]
    assert_valid_blocks(profit.blocks)
    return profit.blocks


def json_payload(body: str) -> dict[str, Any]:
    return json.loads(parse_qs(body)["payload"][0])  # type: ignore[no-any-return]


def tick_body(blocks: list[dict], user: str, selected: list[int]) -> str:  # type: ignore[type-arg]
    actions = next(b for b in blocks if b["type"] == "actions")
    options = actions["elements"][0]["options"]
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T0TEST"},
        "container": {"type": "message", "channel_id": "C0ONCALL", "message_ts": "1700000000.000001"},
        "channel": {"id": "C0ONCALL"},
        "message": {"ts": "1700000000.000001", "blocks": blocks},
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [
            {
                "type": "checkboxes",
                "action_id": "checklist.tick",
                "block_id": actions["block_id"],
                "selected_options": [options[i] for i in selected],
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def wait_for_updates(slack: SlackDriver, count: int) -> None:
    for _ in range(200):
        if len(slack.fake.of("chat.update")) >= count:
            return
        await asyncio.sleep(0.01)


async def test_two_people_ticking_at_once_both_count(slack: SlackDriver, ctx: AppContext) -> None:
    blocks = await checklist_message(ctx)
    alice, bob = tick_body(blocks, ALICE, [0]), tick_body(blocks, BOB, [1])
    responses = await asyncio.gather(
        slack.post(alice, signed_headers(alice)), slack.post(bob, signed_headers(bob))
    )
    assert [r.status for r in responses] == [200, 200]
    await wait_for_updates(slack, 2)
    async with ctx.sessions() as session:
        items = await checklists.entries(session, period=PERIOD, pipeline="profit")
    assert [(i.position, i.ticked_by) for i in items if i.ticked_by] == [(0, "alice"), (1, "bob")]
    last = slack.fake.of("chat.update")[-1].args
    assert last["ts"] == "1700000000.000001" and last["channel"] == "C0ONCALL"
    assert_valid_blocks(last["blocks"])


class RecordedUpdates:
    """A Web API client recording what chat.update shows; its first update lands only after
    `meanwhile` (when given) has run entirely."""

    def __init__(self, meanwhile: Callable[[], Awaitable[None]] | None = None) -> None:
        self.meanwhile: Callable[[], Awaitable[None]] | None = meanwhile
        self.shown: list[str] = []

    async def chat_update(self, **message: Any) -> None:
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            await meanwhile()
        self.shown.append(str(message["blocks"]))


async def test_an_update_landing_late_is_followed_by_the_latest_state(ctx: AppContext) -> None:
    blocks = await checklist_message(ctx)
    bobs = RecordedUpdates()

    async def bob_ticks_meanwhile() -> None:
        await tick(ctx, json_payload(tick_body(blocks, BOB, [1])), bobs)

    alices = RecordedUpdates(bob_ticks_meanwhile)
    await tick(ctx, json_payload(tick_body(blocks, ALICE, [0])), alices)
    # Bob's update showed both ticks; Alice's first one, landing after it, showed only hers, so
    # she checked again and sent the state with both.
    assert bobs.shown[-1].count(":white_check_mark:") == 2
    assert len(alices.shown) == 2 and alices.shown[-1].count(":white_check_mark:") == 2


async def test_unticking_records_it(slack: SlackDriver, ctx: AppContext) -> None:
    blocks = await checklist_message(ctx)
    body = tick_body(blocks, ALICE, [0])
    await slack.post(body, signed_headers(body))
    await wait_for_updates(slack, 1)
    updated = slack.fake.of("chat.update")[-1].args["blocks"]
    assert "<@U0ALICE01>" in str(updated)
    body = tick_body(updated, ALICE, [])
    await slack.post(body, signed_headers(body))
    await wait_for_updates(slack, 2)
    async with ctx.sessions() as session:
        items = await checklists.entries(session, period=PERIOD, pipeline="profit")
    assert all(i.ticked_by is None for i in items)


@pytest.mark.parametrize("now", [datetime(2026, 11, 20, 12, tzinfo=NY)])
async def test_oncall_checklist_before_and_after_it_starts(slack: SlackDriver, ctx: AppContext) -> None:
    answer = await slack.command("/oncall", "checklist")
    assert "has not started yet; it is posted on Mon 23 Nov 2026" in str(answer["blocks"])
    blocks = await checklist_message(ctx)
    body = tick_body(blocks, ALICE, [0])
    await slack.post(body, signed_headers(body))
    await wait_for_updates(slack, 1)
    answer = await slack.command("/oncall", "checklist")
    assert_valid_blocks(answer["blocks"])
    text = str(answer["blocks"])
    assert "*Profit Pipeline*: 1 of 5 done" in text and "<@U0ALICE01>" in text
    assert "*Growth Pipeline*: 0 of 4 done" in text


class FailingUpdates:
    async def chat_update(self, **message: Any) -> None:
        raise aiohttp.ServerDisconnectedError()


async def test_a_tick_is_kept_when_the_message_cannot_be_updated(
    ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    blocks = await checklist_message(ctx)
    await tick(ctx, json_payload(tick_body(blocks, ALICE, [0])), FailingUpdates())  # type: ignore[arg-type]
    async with ctx.sessions() as session:
        items = await checklists.entries(session, period=PERIOD, pipeline="profit")
    assert [(i.position, i.ticked_by) for i in items if i.ticked_by] == [(0, "alice")]
    assert "checklist profit 2026-11: the message could not be updated" in caplog.text


async def post_checklist(ctx: AppContext, client: AsyncWebClient) -> None:
    [profit] = [p for p in await month_end_posts_on(ctx, FIRST_DAY) if p.key == PROFIT]
    assert await send_post(ctx.sessions, client, profit, owner="t", now=FIRST_DAY) == "sent"


async def tick_in_store(ctx: AppContext, positions: range) -> None:
    async with ctx.sessions() as session:
        for position in positions:
            await checklists.set_ticked(
                session, period=PERIOD, pipeline="profit", position=position, person="bob", at=FIRST_DAY
            )
        await session.commit()


def all_done(fake: FakeSlack) -> list[dict[str, Any]]:
    return [c.args for c in fake.of("chat.postMessage") if c.args["text"] == "All done: Profit Pipeline"]


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 11, 23, 11, tzinfo=NY), datetime(2026, 11, 30, 16, tzinfo=NY)],
    ids=["on the first day", "late on the last day"],
)
async def test_the_last_tick_says_all_done_in_the_thread_at_once(slack: SlackDriver, ctx: AppContext) -> None:
    await post_checklist(ctx, make_client(ctx.settings, token="xoxb-test"))
    await tick_in_store(ctx, range(4))
    body = tick_body(await checklist_message(ctx), ALICE, list(range(5)))
    await slack.post(body, signed_headers(body))
    await wait_for(lambda: len(all_done(slack.fake)) == 1)
    [done] = all_done(slack.fake)
    async with ctx.sessions() as session:
        assert await ledger.posted(session, PROFIT) == (done["channel"], done["thread_ts"])
    assert_valid_blocks(done["blocks"])
    assert "Everything on the Profit Pipeline checklist is done." in str(done["blocks"])


@pytest.mark.parametrize("now", [datetime(2026, 11, 24, 11, tzinfo=NY)])
async def test_two_people_ticking_the_last_boxes_at_once_say_all_done_once(
    ctx: AppContext, fake_slack: FakeSlack
) -> None:
    client = make_client(ctx.settings, token="xoxb-test")
    await post_checklist(ctx, client)
    await tick_in_store(ctx, range(3))
    blocks = await checklist_message(ctx)
    alice, bob = tick_body(blocks, ALICE, [0, 1, 2, 3]), tick_body(blocks, BOB, [0, 1, 2, 4])
    await asyncio.gather(tick(ctx, json_payload(alice), client), tick(ctx, json_payload(bob), client))
    assert len(all_done(fake_slack)) == 1
    # Nor is it said again by the next business day's reminder, which stops.
    said = [p.text for p in await month_end_posts_on(ctx, datetime(2026, 11, 25, 9, tzinfo=NY))]
    assert "Still open: Profit Pipeline" not in said
    async with ctx.sessions() as session:
        assert await ledger.sent(session, [f"{PROFIT}:done"]) == {f"{PROFIT}:done"}


@pytest.mark.parametrize("now", [datetime(2026, 11, 23, 11, tzinfo=NY)])
async def test_an_all_done_slack_failed_is_said_the_next_business_day(
    ctx: AppContext, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(ctx.settings, token="xoxb-test")
    await post_checklist(ctx, client)
    await tick_in_store(ctx, range(4))
    fake_slack.fail("chat.postMessage", 500, times=3)  # the first try and both retries
    await tick(ctx, json_payload(tick_body(await checklist_message(ctx), ALICE, list(range(5)))), client)
    assert f"{PROFIT}:done to #data-oncall failed, will be tried again: fatal_error" in caplog.text
    [done] = [p for p in await month_end_posts_on(ctx, SECOND_DAY) if p.key == f"{PROFIT}:done"]
    assert await send_post(ctx.sessions, client, done, owner="t", now=SECOND_DAY) == "sent"
    assert len(all_done(fake_slack)) == 4  # three refused, then said
