"""`/oncall handoff <notes>`: the outgoing primary's notes appear in the next handoff post."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.context import AppContext
from bot.delivery.scheduled import handoff_post, send_post
from bot.delivery.slack_api import make_client
from bot.features.handoff.handoff import handoffs_between
from tests.slack.blocks_check import assert_valid_blocks
from tests.slack.conftest import ALICE, BOB, NY, SlackDriver

NEXT_HANDOFF = datetime(2026, 12, 14, 9, tzinfo=NY)


async def next_post(ctx: AppContext):  # type: ignore[no-untyped-def]
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        [handoff] = await handoffs_between(session, view=view, since=ctx.clock(), until=NEXT_HANDOFF)
    return handoff_post(handoff, view.people)


async def test_the_primary_leaves_a_note_for_the_next_post(slack: SlackDriver, ctx: AppContext) -> None:
    answer = await slack.command(
        "/oncall", "handoff Kafka lag on engagement <!channel>, watch it", user=ALICE
    )
    text = str(answer["blocks"])
    assert "Noted for the handoff of data-oncall" in text and "<!channel>" not in text
    post = await next_post(ctx)
    assert_valid_blocks(post.blocks)
    assert "Notes from the outgoing shift" in str(post.blocks) and "Kafka lag on engagement" in str(
        post.blocks
    )


async def test_only_the_primary_may_leave_notes(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "handoff all quiet", user=BOB)
    assert "Only the primary on call can leave notes" in str(answer["blocks"])


@pytest.mark.parametrize("text", ["handoff", "handoff   ", "handoff " + "x" * 2001])
async def test_empty_or_huge_notes_get_usage(slack: SlackDriver, text: str) -> None:
    answer = await slack.command("/oncall", text, user=ALICE)
    assert "/oncall handoff &lt;notes for the next shift&gt;" in str(answer["blocks"])


async def test_the_user_group_follows_the_incoming_pair(slack: SlackDriver, ctx: AppContext) -> None:
    from sqlalchemy import update

    from bot.store.models import RotationRow
    from bot.store.team import bump_revision

    async with ctx.sessions() as session:
        await session.execute(update(RotationRow).values(user_group="S0ONCALL1"))
        await bump_revision(session)
        await session.commit()
    ctx.views.invalidate()
    post = await next_post(ctx)
    client = make_client(ctx.settings, token="xoxb-test")
    assert await send_post(ctx.sessions, client, post, owner="t", now=NEXT_HANDOFF) == "sent"
    [call] = slack.fake.of("usergroups.users.update")
    assert call.args["usergroup"] == "S0ONCALL1" and call.args["users"] == "U0BOB0001,U0CAROL01"
