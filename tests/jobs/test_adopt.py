"""A claim whose sender died is adopted when Slack has the post, and sent when it has not or cannot say."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.adopt import post_metadata
from bot.delivery.outbox import send_once
from bot.delivery.slack_api import make_client
from bot.settings import Settings
from bot.store import ledger
from tests.slack.fakeslack import FakeSlack

Sessions = async_sessionmaker[AsyncSession]
CLAIMED = datetime(2026, 12, 7, 14, tzinfo=UTC)
LATER = CLAIMED + ledger.LEASE + timedelta(seconds=1)
KEY = "reminder:data-oncall:alice:2026-12-07"


async def died_after_slack_took_it(
    sessions: Sessions, fake: FakeSlack, *, key: str, channel: str, thread_ts: str | None = None
) -> None:
    """What a process leaves that claimed a post, had it taken by Slack and died before recording it."""
    fake.epoch = CLAIMED.timestamp
    async with sessions.begin() as session:
        assert await ledger.claim(session, key=key, job="reminder", owner="dead", now=CLAIMED)
    client = make_client(Settings(_env_file=None, slack_api_url=fake.url), token="xoxb-test")  # type: ignore[call-arg]
    await client.chat_postMessage(channel=channel, text="x", thread_ts=thread_ts, metadata=post_metadata(key))


async def send(
    sessions: Sessions, fake: FakeSlack, *, key: str = KEY, channel: str = "U0ALICE01", **kw: str
) -> str:
    client = make_client(Settings(_env_file=None, slack_api_url=fake.url), token="xoxb-test")  # type: ignore[call-arg]
    return await send_once(
        sessions,
        client,
        key=key,
        job="reminder",
        channel=channel,
        blocks=[],
        text="x",
        owner="taker",
        now=LATER,
        **kw,
    )


async def test_a_dm_slack_took_is_adopted_not_sent_again(
    session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    await died_after_slack_took_it(session_maker, fake_slack, key=KEY, channel="U0ALICE01")
    assert await send(session_maker, fake_slack) == "already sent"
    assert len(fake_slack.posted(KEY)) == 1
    async with session_maker.begin() as session:
        assert await ledger.posted(session, KEY) == ("D0U0ALICE0", fake_slack.posted(KEY)[0]["ts"])
    history = fake_slack.of("conversations.history")[0].args
    assert history["channel"] == "D0U0ALICE0" and float(history["oldest"]) < CLAIMED.timestamp()


async def test_a_thread_reply_slack_took_is_found_among_the_replies(
    session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    fake_slack.epoch = CLAIMED.timestamp
    assert await send(session_maker, fake_slack, key="incident:1:root", channel="C0INC") == "sent"
    async with session_maker.begin() as session:
        root = await ledger.posted(session, "incident:1:root")
    assert root is not None
    await died_after_slack_took_it(
        session_maker, fake_slack, key="incident:1:thread:0", channel="C0INC", thread_ts=root[1]
    )
    outcome = await send(
        session_maker, fake_slack, key="incident:1:thread:0", channel="C0INC", thread_of="incident:1:root"
    )
    assert outcome == "already sent" and len(fake_slack.posted("incident:1:thread:0")) == 1
    assert fake_slack.of("conversations.replies")[0].args["ts"] == root[1]


async def test_a_claim_that_never_reached_slack_is_sent(
    session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    async with session_maker.begin() as session:
        assert await ledger.claim(session, key=KEY, job="reminder", owner="dead", now=CLAIMED)
    assert await send(session_maker, fake_slack) == "sent"
    assert len(fake_slack.posted(KEY)) == 1


async def test_without_the_history_scope_it_is_sent_again_and_logged(
    session_maker: Sessions, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    await died_after_slack_took_it(session_maker, fake_slack, key=KEY, channel="U0ALICE01")
    fake_slack.refusals["conversations.history"] = "missing_scope"
    with caplog.at_level(logging.WARNING):
        assert await send(session_maker, fake_slack) == "sent"
    assert len(fake_slack.posted(KEY)) == 2
    assert f"cannot look in Slack for a copy of {KEY} in U0ALICE01 (missing_scope)" in caplog.text


async def test_slack_failing_for_now_leaves_the_claim_for_the_next_try(
    session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    await died_after_slack_took_it(session_maker, fake_slack, key=KEY, channel="U0ALICE01")
    fake_slack.fail("conversations.history", 503, times=3)  # through the client's retries
    assert await send(session_maker, fake_slack) == "failed: fatal_error"
    assert len(fake_slack.posted(KEY)) == 1
    async with session_maker.begin() as session:
        assert await ledger.abandoned_since(session, KEY, LATER) == CLAIMED
    assert await send(session_maker, fake_slack) == "already sent"


async def test_a_post_to_a_channel_by_name_is_looked_for_in_that_channel(
    session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    key = "handoff:data-oncall:2026-12-07"
    await died_after_slack_took_it(session_maker, fake_slack, key=key, channel="#data-oncall")
    assert await send(session_maker, fake_slack, key=key, channel="#data-oncall") == "already sent"
    assert len(fake_slack.posted(key)) == 1
    assert fake_slack.of("conversations.list") and fake_slack.of("conversations.history")[0].args["channel"]


async def test_a_channel_the_bot_cannot_see_is_posted_to_again_and_logged(
    session_maker: Sessions, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    key = "handoff:data-oncall:2026-12-07"
    async with session_maker.begin() as session:
        assert await ledger.claim(session, key=key, job="handoff", owner="dead", now=CLAIMED)
    with caplog.at_level(logging.WARNING):
        assert await send(session_maker, fake_slack, key=key, channel="#elsewhere") == "sent"
    assert "no channel named #elsewhere that the bot can see" in caplog.text
