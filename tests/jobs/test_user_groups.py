"""A rotation's user group follows who is on call: at each handoff and around a holiday's cover,
once across replicas, whatever became of the handoff post, and again after Slack failed it."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.features.teamfile.service import import_team
from tests.jobs.conftest import WEEK6, Clock, RitualsFor, Sessions
from tests.slack.fakeslack import FakeSlack

NY = ZoneInfo("America/New_York")
GROUP = "S0ONCALL1"
SLACK_IDS = {p.id: p.slack_id for p in WEEK6.people}
MEMBERS = ["alice", "bob", "carol", "david"]
GROUPED = WEEK6.model_copy(
    update={"rotations": [WEEK6.rotations[0].model_copy(update={"user_group": GROUP})]}
)
PLAIN_MONDAY = datetime(2026, 12, 7, 9, tzinfo=NY)


def week_pair(monday: date) -> list[str]:
    """The Week 6 plan by hand: weekly from Monday 5 January 2026, each member in turn primary, the
    next one backup."""
    k = (monday - date(2026, 1, 5)).days // 7
    return [MEMBERS[k % 4], MEMBERS[(k + 1) % 4]]


def users(*people: str) -> str:
    return ",".join(SLACK_IDS[p] or "" for p in people)


def group_calls(fake: FakeSlack) -> list[str]:
    calls = fake.of("usergroups.users.update")
    assert all(c.args["usergroup"] == GROUP for c in calls)
    return [c.args["users"] for c in calls]


@pytest.fixture(autouse=True)
async def grouped(team: Sessions) -> None:
    async with team() as session:
        await import_team(session, team=GROUPED, actor="t", source="cli")


async def test_the_group_holds_the_holiday_cover_on_the_day_and_the_pair_after(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    # Labor Day, Monday 7 September, is handoff day. Its cover, balanced over the year, is Bob (see
    # test_serve_month): before the handoff he covers Carol's time next to backup David; after it,
    # David's, next to the week's backup Alice. Once the holiday is over, the week's pair is on call.
    outgoing, incoming = week_pair(date(2026, 8, 31)), week_pair(date(2026, 9, 7))
    assert (outgoing, incoming) == (["carol", "david"], ["david", "alice"])
    clock = Clock(datetime(2026, 9, 7, 8, tzinfo=NY))
    rituals = rituals_for(clock)
    seen = []
    for at in (8, 9, 12, 24, 25):
        clock.now = datetime(2026, 9, 7, tzinfo=NY) + timedelta(hours=at, seconds=30)
        await rituals.run_due()
        await rituals.follow_groups()
        seen.append(group_calls(fake_slack)[-1])
    assert seen == [
        users("bob", "david"),
        users("bob", "alice"),
        users("bob", "alice"),
        users(*incoming),
        users(*incoming),
    ]
    assert len(group_calls(fake_slack)) == 3  # each change once


async def test_two_replicas_point_the_group_once(rituals_for: RitualsFor, fake_slack: FakeSlack) -> None:
    clock = Clock(PLAIN_MONDAY + timedelta(seconds=30))
    replicas = [rituals_for(clock), rituals_for(clock)]
    await asyncio.gather(*(r.run_due() for r in replicas), *(r.follow_groups() for r in replicas))
    assert group_calls(fake_slack) == [users(*week_pair(PLAIN_MONDAY.date()))]


async def test_a_handoff_post_held_by_slack_still_moves_the_group(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    fake_slack.refusals["chat.postMessage"] = "not_in_channel"
    rituals = rituals_for(Clock(PLAIN_MONDAY + timedelta(seconds=30)))
    assert "failed: not_in_channel" in await rituals.run_due()
    assert group_calls(fake_slack) == [users(*week_pair(PLAIN_MONDAY.date()))]


async def test_a_handoff_skipped_while_the_bot_was_down_still_moves_the_group(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    rituals = rituals_for(Clock(PLAIN_MONDAY + timedelta(hours=7)))  # past the 6-hour grace window
    await rituals.run_due(report_missed=True)
    await rituals.follow_groups()
    assert [p.args["text"] for p in fake_slack.of("chat.postMessage")] == []
    assert group_calls(fake_slack) == [users(*week_pair(PLAIN_MONDAY.date()))]


async def test_a_failed_group_update_is_made_by_the_next_run_once(
    rituals_for: RitualsFor, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("usergroups.users.update", 500, times=3)  # the first try and both retries
    clock = Clock(PLAIN_MONDAY + timedelta(seconds=30))
    rituals = rituals_for(clock)
    await rituals.run_due()
    assert len(group_calls(fake_slack)) == 3
    for _ in range(2):
        clock.now += timedelta(minutes=1)
        await rituals.follow_groups()
    assert group_calls(fake_slack)[3:] == [users(*week_pair(PLAIN_MONDAY.date()))]
