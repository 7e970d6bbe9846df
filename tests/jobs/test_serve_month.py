"""`serve` over a simulated month: two replicas on one store, each built exactly as `serve` builds
itself, with their scheduler's jobs fired at the times their triggers give on an injected clock.

November 2026 for the Week 6 team: the clocks go back on 1 November, Veterans Day and Thanksgiving
fall in it, and its month-end week holds Thanksgiving. December 2026: Christmas Eve (a company
holiday) and Christmas Day move the month-end week's start to the 23rd, and New Year's Day moves
the reminders before the first shift of 2027. September 2026: Labor Day falls on a handoff.

Who is on call comes from the Week 6 plan by hand, not from the code under test: weekly shifts from
Monday 5 January 2026, primary alice, bob, carol, david in turn, the next one as backup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.features.teamfile.service import import_team
from bot.serve import build_service
from bot.settings import Settings
from tests.jobs.conftest import WEEK6, Clock, Sessions
from tests.jobs.simulation import Sent, simulate
from tests.slack.fakeslack import FakeSlack

NY = ZoneInfo("America/New_York")
TICK = timedelta(hours=1)  # the minute tick, run on the hour (see `simulate`)
SLACK_IDS = {"alice": "U0ALICE01", "bob": "U0BOB0001", "carol": "U0CAROL01", "david": "U0DAVID01"}
CHECKLISTS = [
    "Month-end checklist: Aggregated Data Pipeline",
    "Month-end checklist: Engagement Pipeline",
    "Month-end checklist: Growth Pipeline",
    "Month-end checklist: Profit Pipeline",
]
# Who covers each holiday (see tests/schedule/test_holidays.py): the big days first (Thanksgiving
# david, Christmas alice: nobody had one yet, the week's backup), then the fewest of the year, the
# backup among equals. 2026: 19 Jan bob, 16 Feb david, 25 May carol, 19 Jun alice, 3 and 4 Jul carol
# (one holiday), 7 Sep bob, 12 Oct bob, 11 Nov carol, 26 Nov david, 24 Dec david, 25 Dec alice. 2027
# starts with New Year's Day for carol, who had no big day yet.
COVERS = {
    date(2026, 9, 7): "bob",
    date(2026, 11, 11): "carol",
    date(2026, 11, 26): "david",
    date(2026, 12, 24): "david",
    date(2026, 12, 25): "alice",
    date(2027, 1, 1): "carol",
}


MEMBERS = ["alice", "bob", "carol", "david"]


def on_call(monday: date) -> tuple[str, str]:
    """(primary, backup) of the Week 6 shift starting that Monday."""
    k = (monday - date(2026, 1, 5)).days // 7
    return MEMBERS[k % 4], MEMBERS[(k + 1) % 4]


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=NY)


Serve = Callable[[datetime, datetime], Awaitable[list[Sent]]]


@pytest.fixture
def serve(team: Sessions, fake_slack: FakeSlack, runbooks: Path) -> Serve:
    async def run(start: datetime, end: datetime) -> list[Sent]:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token="xoxb-test-token",
            slack_signing_secret="test-secret",
            slack_api_url=fake_slack.url,
            runbooks_dir=runbooks,
        )
        clock = Clock(start)
        replicas = [build_service(settings, team, clock=clock) for _ in range(2)]
        for replica in replicas:
            await replica.rituals.start()
            replica.rituals.scheduler.pause()  # the simulated clock fires the jobs, not the wall clock
        try:
            return await simulate([r.rituals for r in replicas], clock, fake_slack, until=end, tick=TICK)
        finally:
            for replica in replicas:
                replica.rituals.shutdown()

    return run


def reminders_of(month: list[Sent]) -> list[tuple[datetime, str]]:
    return [(p.at, p.channel) for p in month if p.text.startswith("You are on call")]


def one(month: list[Sent], text: str, day: date) -> Sent:
    [post] = [p for p in month if p.text == text and p.at.date() == day]
    return post


def assert_each_once(month: list[Sent]) -> None:
    assert [post for post, times in Counter(month).items() if times > 1] == []


async def test_november_on_two_replicas_posts_everything_once_on_time(serve: Serve) -> None:
    month = await serve(datetime(2026, 10, 30, tzinfo=NY), datetime(2026, 12, 1, tzinfo=NY))
    assert_each_once(month)
    mondays = [date(2026, 11, d) for d in (2, 9, 16, 23, 30)]

    handoffs = [p for p in month if p.text == "Handoff: data-oncall"]
    assert [(p.at, p.channel) for p in handoffs] == [(at(day), "#data-oncall") for day in mondays]
    assert handoffs[0].at.utcoffset() == timedelta(hours=-5)  # 14:00 UTC, not 13:00 as in October
    thanksgiving_week = handoffs[3].said
    primary, backup = on_call(date(2026, 11, 23))
    assert f"Incoming primary: @{primary.title()}" in thanksgiving_week
    assert f"Incoming backup: @{backup.title()}" in thanksgiving_week
    assert f"Thanksgiving Day: @{COVERS[date(2026, 11, 26)].title()} covers" in thanksgiving_week

    # The working day before each shift, at the handoff time: primary, then backup.
    fridays = [date(2026, 10, 30), *(date(2026, 11, d) for d in (6, 13, 20, 27))]
    assert reminders_of(month) == [
        (at(friday), SLACK_IDS[person])
        for friday, monday in zip(fridays, mondays, strict=True)
        for person in on_call(monday)
    ]
    dm = next(p for p in month if p.channel == SLACK_IDS["carol"] and p.at == at(date(2026, 11, 20)))
    # Thanksgiving is left out: its cover holds the primary's time that day.
    assert (
        "primary on call for data-oncall from Mon 23 Nov 09:00 EST to Thu 26 Nov 00:00 EST"
        " and from Fri 27 Nov 00:00 EST to Mon 30 Nov 09:00 EST" in dm.said
    )

    notices = [p for p in month if p.text.startswith("Tomorrow")]
    assert [(p.at, p.text) for p in notices] == [
        (at(date(2026, 11, 10)), "Tomorrow: Veterans Day"),
        (at(date(2026, 11, 25)), "Tomorrow: Thanksgiving Day"),
    ]
    assert f"@{COVERS[date(2026, 11, 11)].title()} covers data-oncall" in notices[0].said
    assert f"@{COVERS[date(2026, 11, 26)].title()} covers data-oncall" in notices[1].said

    # Started during October's closing week (26 to 30 October): its checklists still go out on the
    # first business day of it the bot sees. November's start five business days before the end,
    # Thanksgiving not counted: on the 23rd.
    checklists = [p for p in month if p.text.startswith("Month-end checklist")]
    assert sorted((p.at, p.text) for p in checklists) == sorted(
        (at(day), text) for day in (date(2026, 10, 30), date(2026, 11, 23)) for text in CHECKLISTS
    )
    profit = one(month, "Month-end checklist: Profit Pipeline", date(2026, 11, 23))
    assert "Month-end checklist: Profit Pipeline, 2026-11" in profit.said
    assert "Financial records completeness is above 99.5%" in profit.said
    assert "Owners: @Alice (primary), @Bob (secondary)" in profit.said

    # Every later business day of the week, a reply in each thread; none on the day a checklist
    # goes out, October's included: it says it all.
    nudges = [p for p in month if p.text.startswith("Still open")]
    assert all(p.thread for p in nudges)
    nudge_days = [date(2026, 11, d) for d in (24, 25, 27, 30)]
    assert sorted(Counter(p.at for p in nudges).items()) == [(at(day), 4) for day in nudge_days]
    growth = one(month, "Still open: Growth Pipeline", date(2026, 11, 27))
    assert "@Bob @Carol still open on Growth Pipeline" in growth.said
    assert "• Status changes reconciled with the CRM" in growth.said

    assert len(month) == len(handoffs) + len(reminders_of(month)) + len(notices) + len(checklists) + len(
        nudges
    )


async def test_december_on_two_replicas_names_who_covers_christmas(serve: Serve) -> None:
    month = await serve(datetime(2026, 12, 18, tzinfo=NY), datetime(2027, 1, 2, tzinfo=NY))
    assert_each_once(month)
    christmas_eve, christmas = date(2026, 12, 24), date(2026, 12, 25)

    handoffs = [p for p in month if p.text == "Handoff: data-oncall"]
    assert [p.at for p in handoffs] == [at(date(2026, 12, 21)), at(date(2026, 12, 28))]
    before, after = handoffs
    assert (
        f"Thu 24 Dec 2026 Company holiday (Christmas Eve): @{COVERS[christmas_eve].title()} covers"
        in before.said
    )
    assert f"Fri 25 Dec 2026 Christmas Day: @{COVERS[christmas].title()} covers" in before.said
    outgoing, incoming = on_call(date(2026, 12, 21)), on_call(date(2026, 12, 28))
    assert f"Outgoing: @{outgoing[0].title()} primary, @{outgoing[1].title()} backup" in after.said
    assert f"Incoming primary: @{incoming[0].title()}" in after.said
    assert f"Incoming backup: @{incoming[1].title()}" in after.said

    # The week's start moves to Wednesday the 23rd: the 24th and 25th are the team's holidays.
    checklists = [p for p in month if p.text.startswith("Month-end checklist")]
    assert sorted((p.at, p.text) for p in checklists) == [(at(date(2026, 12, 23)), t) for t in CHECKLISTS]
    nudges = [p for p in month if p.text.startswith("Still open")]
    assert sorted(Counter(p.at for p in nudges).items()) == [
        (at(date(2026, 12, d)), 4) for d in (28, 29, 30, 31)
    ]

    # The day before each holiday, at the handoff time, even when that day is a holiday itself.
    notices = [(p.at, p.text, p.said) for p in month if p.text.startswith("Tomorrow")]
    assert [(when, text) for when, text, _ in notices] == [
        (at(date(2026, 12, 23)), "Tomorrow: Company holiday (Christmas Eve)"),
        (at(christmas_eve), "Tomorrow: Christmas Day"),
        (at(date(2026, 12, 31)), "Tomorrow: New Year's Day"),
    ]
    covers = [COVERS[christmas_eve], COVERS[christmas], COVERS[date(2027, 1, 1)]]
    for (_, _, said), person in zip(notices, covers, strict=True):
        assert f"@{person.title()} covers data-oncall for the day" in said

    # The working day before the shift of the 28th is the 23rd; before 4 January, the 31st.
    assert reminders_of(month) == [
        (at(date(2026, 12, 18)), SLACK_IDS[p]) for p in on_call(date(2026, 12, 21))
    ] + [(at(date(2026, 12, 23)), SLACK_IDS[p]) for p in incoming] + [
        (at(date(2026, 12, 31)), SLACK_IDS[p]) for p in on_call(date(2027, 1, 4))
    ]
    assert len(month) == len(handoffs) + len(checklists) + len(nudges) + len(notices) + 6


async def test_labor_day_on_the_handoff_names_the_weeks_pair_and_the_group_follows_the_cover(
    serve: Serve, team: Sessions, fake_slack: FakeSlack
) -> None:
    async with team() as session:  # with a user group, which follows who is on call
        rotation = WEEK6.rotations[0].model_copy(update={"user_group": "S0ONCALL1"})
        await import_team(
            session, team=WEEK6.model_copy(update={"rotations": [rotation]}), actor="t", source="cli"
        )
    week = await serve(datetime(2026, 9, 3, tzinfo=NY), datetime(2026, 9, 9, tzinfo=NY))
    assert_each_once(week)
    labor_day = date(2026, 9, 7)
    outgoing, incoming = on_call(date(2026, 8, 31)), on_call(labor_day)
    cover = COVERS[labor_day]
    # On the day the cover holds the primary's time; the week's backup stays backup.

    [handoff] = [p for p in week if p.text == "Handoff: data-oncall"]
    assert handoff.at == at(labor_day)
    assert f"Outgoing: @{outgoing[0].title()} primary, @{outgoing[1].title()} backup" in handoff.said
    assert f"Incoming primary: @{incoming[0].title()} (regular rotation)" in handoff.said
    assert f"Incoming backup: @{incoming[1].title()} (regular rotation)" in handoff.said
    assert f"Mon 07 Sep 2026 Labor Day: @{cover.title()} covers" in handoff.said

    # The Friday before: the week's pair, the primary for the shift once the holiday is over, the
    # backup from the handoff.
    assert reminders_of(week) == [(at(date(2026, 9, 4)), SLACK_IDS[p]) for p in incoming]
    hours = ("from Tue 08 Sep 00:00 EDT", "from Mon 07 Sep 09:00 EDT")
    for person, role, since in zip(incoming, ("primary", "backup"), hours, strict=True):
        [dm] = [p for p in week if p.channel == SLACK_IDS[person]]
        assert f"{role} on call for data-oncall {since} to Mon 14 Sep 09:00 EDT" in dm.said
    [notice] = [p for p in week if p.text == "Tomorrow: Labor Day"]
    assert notice.at == at(date(2026, 9, 6)) and f"@{cover.title()} covers data-oncall" in notice.said
    assert len(week) == 4

    # The group: the outgoing pair at start-up, the cover from the holiday's midnight, the cover
    # and the week's backup from the handoff, the week's pair once the holiday is over; each once.
    groups = [c.args["users"] for c in fake_slack.of("usergroups.users.update")]
    assert groups == [
        ",".join(SLACK_IDS[p] for p in pair)
        for pair in (outgoing, (cover, outgoing[1]), (cover, incoming[1]), incoming)
    ]
