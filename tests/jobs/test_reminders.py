"""Reminders: the working day before a shift, skipping weekends and the team's holidays, to each
person on call over it, the holiday covers set aside."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.holders import Turn
from bot.core.schedule.model import Role, Rotation
from bot.delivery.scheduled import reminder_posts
from bot.features.handoff.reminders import ShiftReminder, working_day_before
from bot.features.oncall.views import load_view
from bot.messages.reminders import shift_reminder_blocks
from bot.shell.terminal import render_blocks
from tests.jobs.conftest import WEEK6, Sessions
from tests.slack.blocks_check import assert_valid_blocks

NY = ZoneInfo("America/New_York")
NAMES = {p.slack_id: p.name for p in WEEK6.people if p.slack_id}
SLACK_IDS = {p.id: p.slack_id for p in WEEK6.people}
US_2026 = {date(2026, 11, 26), date(2026, 12, 25), date(2026, 12, 24), date(2026, 7, 3)}


@pytest.mark.parametrize(
    ("shift_day", "sent_on"),
    [
        (date(2026, 11, 23), date(2026, 11, 20)),  # a Monday shift: the Friday before
        (date(2026, 11, 25), date(2026, 11, 24)),  # midweek: the day before
        (date(2026, 11, 27), date(2026, 11, 25)),  # after Thanksgiving: the Wednesday
        (date(2026, 12, 28), date(2026, 12, 23)),  # after Christmas Eve and Day and a weekend
        (date(2026, 7, 6), date(2026, 7, 2)),  # after the observed Independence Day
    ],
)
def test_working_day_before(shift_day: date, sent_on: date) -> None:
    assert working_day_before(shift_day, US_2026) == sent_on


def test_reminder_message() -> None:
    rotation = Rotation("data-oncall", ("alice", "bob"), "America/New_York", date(2026, 1, 5))
    start, end = datetime(2026, 11, 23, 9, tzinfo=NY), datetime(2026, 11, 30, 9, tzinfo=NY)
    turn = Turn("alice", Role.PRIMARY, ((start, end),))
    reminder = ShiftReminder(rotation, start, turn, datetime(2026, 11, 20, 9, tzinfo=NY))
    blocks = shift_reminder_blocks(reminder)
    assert_valid_blocks(blocks)
    assert "*primary* on call for *data-oncall*" in str(blocks) and "Mon 23 Nov 09:00 EST" in str(blocks)
    assert reminder.key == "reminder:data-oncall:2026-11-23:primary:alice"


async def reminders_at(sessions: Sessions, at: datetime) -> dict[str, str]:
    """What the reminders job sends in the day up to `at`: each message by where it goes."""
    async with sessions() as session:
        view = await load_view(session)
        posts = await reminder_posts(session, view=view, since=at - timedelta(days=1), until=at)
    return {post.channel: render_blocks(post.blocks, NAMES).text for post in posts}


async def test_a_holiday_on_the_first_day_leaves_it_out_of_the_weeks_reminders(team: Sessions) -> None:
    # The Week 6 plan by hand: shift k (weekly from Monday 5 January 2026) has member k mod 4 as
    # primary, the next as backup. Labor Day, Monday 7 September, starts shift 35: David and Alice.
    # The day goes to the holiday's cover, balanced over the year (Alice, see test_serve_month), and
    # its backup (Bob) stands in; the pair takes over when it ends.
    members = ["alice", "bob", "carol", "david"]
    k = (date(2026, 9, 7) - date(2026, 1, 5)).days // 7
    primary, backup = members[k % 4], members[(k + 1) % 4]
    assert (primary, backup) == ("david", "alice")
    friday = await reminders_at(team, datetime(2026, 9, 4, 9, tzinfo=NY))
    assert sorted(friday) == sorted(SLACK_IDS[p] for p in (primary, backup))
    week = "from Tue 08 Sep 00:00 EDT to Mon 14 Sep 09:00 EDT."
    assert f"you are primary on call for data-oncall {week}" in friday[SLACK_IDS[primary]]
    assert f"you are backup on call for data-oncall {week}" in friday[SLACK_IDS[backup]]
    # The cover hears of the holiday the day before, in the channel, and so does the stand-in: the
    # week's backup (Alice) covers, so the next member in rotation order (Bob) is backup that day.
    stand_in = members[(members.index(backup) + 1) % 4]
    sunday = await reminders_at(team, datetime(2026, 9, 6, 9, tzinfo=NY))
    assert sunday == {
        "#data-oncall": "🌴 Tomorrow, Mon 07 Sep 2026, is Labor Day. @Alice covers data-oncall for the day. "
        f"@{stand_in.title()} is backup."
    }


async def test_a_holiday_inside_the_shift_splits_each_reminder_around_it(team: Sessions) -> None:
    # Thanksgiving (Thursday 26 November) in Carol and David's week: David covers it.
    friday = await reminders_at(team, datetime(2026, 11, 20, 9, tzinfo=NY))
    around = (
        "from Mon 23 Nov 09:00 EST to Thu 26 Nov 00:00 EST"
        " and from Fri 27 Nov 00:00 EST to Mon 30 Nov 09:00 EST."
    )
    assert f"you are primary on call for data-oncall {around}" in friday[SLACK_IDS["carol"]]
    assert f"you are backup on call for data-oncall {around}" in friday[SLACK_IDS["david"]]
    assert len(friday) == 2
