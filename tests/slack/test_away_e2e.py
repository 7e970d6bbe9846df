"""`/oncall away`: vacations from Slack, the schedule that follows, and who is told."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.schedule.model import Reason
from bot.services.oncall import on_call
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.context import AppContext
from bot.slack.volunteer_messages import close_expired_volunteer_calls
from tests.slack.blocks_check import assert_valid_blocks
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID, NY, SlackDriver

SLACK_IDS = {"alice": ALICE, "bob": BOB, "carol": CAROL, "david": DAVID}


def text_of(answer: dict) -> str:  # type: ignore[type-arg]
    return str(answer["blocks"])


async def posts(slack: SlackDriver, count: int) -> list[tuple[str, str]]:
    for _ in range(200):  # the notices go out after the acknowledgement
        if len(slack.fake.of("chat.postMessage")) >= count:
            break
        await asyncio.sleep(0.01)
    return [(c.args["channel"], c.args["text"]) for c in slack.fake.of("chat.postMessage")]


async def test_primary_away_moves_the_shift_and_tells_those_affected(
    slack: SlackDriver, ctx: AppContext
) -> None:
    answer = await slack.command("/oncall", "away 2026-12-09 2026-12-10 dentist", user=ALICE)
    assert_valid_blocks(answer["blocks"])
    assert "Recorded absence #1" in text_of(answer) and "Who covers" in text_of(answer)
    async with ctx.sessions() as session:
        [during] = await on_call(session, at=datetime(2026, 12, 9, 12, tzinfo=NY))
    assert (
        during.primary is not None
        and during.primary.person == "bob"
        and during.primary.reason is Reason.ABSENCE
    )
    assert during.backup is not None and during.backup.person not in ("alice", "bob")
    sent = await posts(slack, 3)
    assert ("#data-oncall", "Alice is away") in sent
    assert (BOB, "You now cover a shift") in sent
    assert len(sent) == 3  # the channel, the new primary and the new backup: nobody else


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("away 2026-12-10 2026-12-09", "is before the start"),
        ("away 2026-01-01 2026-01-02", "already over"),
        ("away 2026-12-01 2027-06-01", "at most 90 days"),
        ("away tomorrow", "Usage: `/oncall away"),
        ("away 2026-12-40 2026-12-41", "Usage: `/oncall away"),
        ("away 9999-12-30 9999-12-31", "in the years 1970 to 2200"),
        ("away cancel 3000000000", "Usage: `/oncall away cancel <id>`"),
        ("away cancel 100000000000000000000", "Usage: `/oncall away cancel <id>`"),
    ],
)
async def test_bad_absences_are_refused(slack: SlackDriver, text: str, says: str) -> None:
    answer = await slack.command("/oncall", text, user=ALICE)
    assert_valid_blocks(answer["blocks"])
    assert says in text_of(answer)
    assert slack.fake.of("chat.postMessage") == []


async def test_list_overlap_and_cancel(slack: SlackDriver, ctx: AppContext) -> None:
    await slack.command("/oncall", "away 2026-12-21 2026-12-31 holidays", user=CAROL)
    assert "overlaps an absence" in text_of(
        await slack.command("/oncall", "away 2026-12-30 2027-01-02", user=CAROL)
    )
    listed = text_of(await slack.command("/oncall", "away list", user=CAROL))
    assert "#1" in listed and "holidays" in listed
    assert "is not yours" in text_of(await slack.command("/oncall", "away cancel 1", user=BOB))
    assert "Cancelled absence #1" in text_of(await slack.command("/oncall", "away cancel #1", user=CAROL))
    assert "no absence recorded" in text_of(await slack.command("/oncall", "away list", user=CAROL))
    assert "there is no absence #7" in text_of(await slack.command("/oncall", "away cancel 7", user=CAROL))


async def test_only_admins_record_for_others(slack: SlackDriver) -> None:
    refused = await slack.command("/oncall", f"away <@{BOB}|bob> 2026-12-21 2026-12-22", user=CAROL)
    assert "Only admins" in text_of(refused)
    recorded = await slack.command("/oncall", f"away <@{BOB}|bob> 2026-12-21 2026-12-22", user=DAVID)
    assert "Recorded absence" in text_of(recorded) and f"<@{BOB}> away" in text_of(recorded)


async def test_history_shows_who_changed_what(slack: SlackDriver) -> None:
    await slack.command("/oncall", "away 2026-12-21 2026-12-22 trip", user=CAROL)
    answer = await slack.command("/oncall", "history 3", user=ALICE)
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert f"<@{CAROL}> (slack) absence.add `carol`" in text
    # The absence's times in the detail are shown on each reader's clock, not as UTC.
    start = int(datetime(2026, 12, 21, tzinfo=NY).timestamp())
    assert f"absence.add `carol` <!date^{start}^" in text and "Mon 21 Dec 00:00 EST" in text
    assert "+00:00" not in text
    assert text.count("(import)") == 2  # the two before it: the team file's import
    assert "at most 50" in text_of(await slack.command("/oncall", "history 500", user=ALICE))


async def volunteer_button(slack: SlackDriver) -> tuple[str, str]:
    sent = await posts(slack, 1)
    assert sent
    post = next(c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == "#data-oncall")
    assert_valid_blocks(post.args["blocks"])
    [button] = [e for b in post.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return button["action_id"], button["value"]


async def press(slack: SlackDriver, action_id: str, value: str, user: str) -> dict:  # type: ignore[type-arg]
    def answers() -> list[dict]:  # type: ignore[type-arg]
        return [c.args for c in slack.fake.calls if c.method in ("response:action", "chat.update")]

    count = len(answers())
    assert await slack.press(action_id, value, user=user) == 200
    for _ in range(200):
        if len(answers()) > count:
            break
        await asyncio.sleep(0.01)
    return answers()[-1]


async def test_a_volunteer_takes_the_backup_slot_first_click_wins(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)  # Bob is this week's backup
    action_id, value = await volunteer_button(slack)
    taken = await press(slack, action_id, value, DAVID)
    assert "volunteered as backup" in str(taken["blocks"]) and "<@U0DAVID01>" in str(taken["blocks"])
    async with ctx.sessions() as session:
        [during] = await on_call(session, at=datetime(2026, 12, 9, 12, tzinfo=NY))
    assert during.backup is not None and during.backup.person == "david"
    assert during.backup.reason is Reason.VOLUNTEER
    late = await press(slack, action_id, value, CAROL)
    assert "someone else volunteered first" in late["text"]


@pytest.mark.parametrize(
    ("user", "says"),
    [
        (ALICE, "you are primary during that time"),
        (BOB, "only another member"),
        ("U0STRANGER", "Only members"),
    ],
)
async def test_who_may_not_volunteer(slack: SlackDriver, user: str, says: str) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    action_id, value = await volunteer_button(slack)
    assert says in (await press(slack, action_id, value, user))["text"]


async def test_a_closed_call_keeps_the_schedule(slack: SlackDriver, ctx: AppContext) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    action_id, value = await volunteer_button(slack)
    object.__setattr__(ctx, "clock", lambda: datetime(2026, 12, 9, 1, tzinfo=NY))  # the deadline passed
    assert "has closed" in (await press(slack, action_id, value, DAVID))["text"]


async def test_nobody_volunteers_by_the_deadline_so_the_choice_is_announced_once(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    await volunteer_button(slack)
    async with ctx.sessions() as session:
        [during] = await on_call(session, at=datetime(2026, 12, 9, 12, tzinfo=NY))
    assert during.backup is not None and during.backup.reason is Reason.ABSENCE
    chosen = during.backup.person
    client = make_client(settings)
    deadline = datetime(2026, 12, 9, tzinfo=NY)  # the absence starts before a day has passed
    assert await close_expired_volunteer_calls(ctx, client, deadline - timedelta(seconds=1)) == []
    assert await close_expired_volunteer_calls(ctx, client, deadline) == [1]
    assert await close_expired_volunteer_calls(ctx, client, deadline) == []  # once
    [announced] = [c for c in slack.fake.of("chat.postMessage") if c.args["text"] == "Nobody volunteered"]
    assert announced.args["channel"] == "#data-oncall"
    assert_valid_blocks(announced.args["blocks"])
    text = str(announced.args["blocks"])
    assert f"while <@{BOB}> is away" in text and f"<@{SLACK_IDS[chosen]}> backup" in text
    answer = await slack.command("/oncall", "history 1", user=ALICE)
    assert "absence.no_volunteer" in text_of(answer)


async def test_a_taken_or_cancelled_call_closes_quietly(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    action_id, value = await volunteer_button(slack)
    await press(slack, action_id, value, DAVID)
    await slack.command("/oncall", "away 2026-12-16 2026-12-17", user=CAROL)  # Carol is next week's backup
    await slack.command("/oncall", "away cancel 2", user=CAROL)
    client = make_client(settings)
    assert await close_expired_volunteer_calls(ctx, client, datetime(2026, 12, 20, tzinfo=NY)) == []
    assert not [c for c in slack.fake.of("chat.postMessage") if c.args["text"] == "Nobody volunteered"]
