"""Reminders: the working day before a shift, skipping weekends and the team's holidays, to each
person on call over it, the holiday covers set aside."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.holders import Turn
from bot.core.schedule.model import PastCover, Role, Rotation
from bot.core.team import HolidaySettings, RotationConfig
from bot.delivery.scheduled import reminder_posts
from bot.features.handoff.reminders import ShiftReminder, working_day_before
from bot.features.oncall.views import load_view
from bot.features.teamfile.service import import_team
from bot.messages.reminders import shift_reminder_blocks
from bot.shell.terminal import render_blocks
from bot.store.holiday_covers import holiday_covers
from tests.jobs.conftest import WEEK6, Sessions
from tests.slack.blocks_check import assert_valid_blocks, text_of

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
    assert "*primary* on call for *data-oncall*" in text_of(blocks) and "Mon 23 Nov 09:00 EST" in text_of(
        blocks
    )
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
    # The day goes to the holiday's cover (Bob, who has the fewest holidays of the year by then; see
    # tests/schedule/test_holidays.py); the week's backup stays backup, the primary starts after it.
    members = ["alice", "bob", "carol", "david"]
    k = (date(2026, 9, 7) - date(2026, 1, 5)).days // 7
    primary, backup = members[k % 4], members[(k + 1) % 4]
    assert (primary, backup) == ("david", "alice")
    friday = await reminders_at(team, datetime(2026, 9, 4, 9, tzinfo=NY))
    assert sorted(friday) == sorted(SLACK_IDS[p] for p in (primary, backup))
    assert (
        "you are primary on call for data-oncall from Tue 08 Sep 00:00 EDT to Mon 14 Sep 09:00 EDT."
        in (friday[SLACK_IDS[primary]])
    )
    assert (
        "you are backup on call for data-oncall from Mon 07 Sep 09:00 EDT to Mon 14 Sep 09:00 EDT."
        in (friday[SLACK_IDS[backup]])
    )
    # The cover hears of the holiday the day before, in the channel, with the day's backup.
    sunday = await reminders_at(team, datetime(2026, 9, 6, 9, tzinfo=NY))
    assert sunday == {
        "#data-oncall": "🌴 Tomorrow, Mon 07 Sep 2026, is Labor Day. @Bob covers data-oncall for the day. "
        "@Alice is backup."
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


async def test_the_announced_holiday_cover_is_kept_for_the_years_after(team: Sessions) -> None:
    async with team() as session:
        view = await load_view(session)
        at = datetime(2026, 9, 6, 9, tzinfo=NY)
        posts = await reminder_posts(session, view=view, since=at - timedelta(days=1), until=at)
        await session.commit()
    assert [p.job for p in posts] == ["holiday"]
    async with team() as session:
        assert await holiday_covers(session, rotation="data-oncall") == [PastCover(date(2026, 9, 7), "bob")]


# A team in Munich: three people, a daily rotation handed over at 08:00, Bavarian holidays.
MUNICH = WEEK6.model_copy(
    update={
        "timezone": "Europe/Berlin",
        "holidays": HolidaySettings(country="DE", subdivision="BY"),
        "rotations": [
            RotationConfig.model_validate(
                {
                    "name": "data-oncall",
                    "channel": "#data-oncall",
                    "members": ["alice", "bob", "carol"],
                    "unit": "daily",
                    "handoff": {"time": "08:00"},
                    "start": "2026-12-01",
                }
            )
        ],
    }
)


async def test_a_daily_rotations_holidays_take_whole_shifts(session_maker: Sessions) -> None:
    async with session_maker() as session:
        await import_team(session, team=MUNICH, actor="t", source="cli")
    berlin = ZoneInfo("Europe/Berlin")
    texts = []
    for day in range(18, 30):  # Christmas and the Second Day of Christmas, a Friday and a Saturday
        texts += (await reminders_at(session_maker, datetime(2026, 12, day, 8, tzinfo=berlin))).values()
    reminders = [t for t in texts if "on call for data-oncall" in t]
    assert reminders and not [t for t in reminders if "00:00" in t]
    assert all(t.count("08:00 CET") == 2 for t in reminders)  # from one handoff to the next
    # The holiday's shift is the cover's: nobody is reminded of Friday 25 December 08:00.
    assert not [t for t in reminders if "from Fri 25 Dec 08:00" in t]
