"""`/oncall away`: vacations from Slack, the schedule that follows, and who is told."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.schedule.model import Reason
from bot.delivery.slack_api import make_client
from bot.delivery.volunteers import close_expired_volunteer_calls
from bot.features.oncall.views import on_call
from bot.settings import Settings
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID, NY, SlackDriver, wait_for
from tests.slack.team_edits import living_in
from tests.slack.test_swap_e2e import remembered

SLACK_IDS = {"alice": ALICE, "bob": BOB, "carol": CAROL, "david": DAVID}


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


async def test_a_gap_is_said_plainly_and_the_admins_are_told_once(slack: SlackDriver) -> None:
    for someone in (CAROL, DAVID):
        await slack.command("/oncall", "away 2026-12-08 2026-12-11", user=someone)
    before = len(slack.fake.of("chat.postMessage"))
    await slack.command("/oncall", "away 2026-12-09 2026-12-10 dentist", user=ALICE)
    # Bob takes Alice's time; nobody is left to be his backup.
    for _ in range(200):
        if any(c.args["text"] == "A gap in the on-call schedule" for c in slack.fake.of("chat.postMessage")):
            break
        await asyncio.sleep(0.01)
    sent = slack.fake.of("chat.postMessage")[before:]
    [call] = [c for c in sent if c.args["channel"] == "#data-oncall"]
    said = text_of(call.args)
    assert "Nobody is left to be backup then: the rotation has a gap. Can you take it?" in said
    assert "least recently" not in said
    [gap] = [c for c in sent if c.args["text"] == "A gap in the on-call schedule"]
    assert gap.args["channel"] == DAVID  # the other admin; Alice is the one away
    shown = text_of(gap.args)
    assert "While *Alice* is away, the schedule has a gap:" in shown and "nobody is backup" in shown
    assert "`/swap`" in shown and "#data-oncall" in shown


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("away 2026-12-10 2026-12-09", "is before the start"),
        ("away 2026-01-01 2026-01-02", "already over"),
        ("away 2026-12-01 2027-06-01", "at most 90 days"),
        ("away tomorrow", "Give the first and the last day away."),
        ("away 2026-12-40 2026-12-41", "`2026-12-40` is not a day of the calendar."),
        ("away 2027-02-10 2027-02-30", "`2027-02-30` is not a day of the calendar."),
        ("away 2027-02-10 soon", "`soon` is not a date: give it as YYYY-MM-DD"),
        ("away @nobody 2026-12-28 2026-12-29", "There is no teammate called `@nobody` in the team file."),
        ("away 9999-12-30 9999-12-31", "in the years 1970 to 2200"),
        ("away cancel 3000000000", "Usage: `/oncall away cancel &lt;id&gt;`"),
        ("away cancel 100000000000000000000", "Usage: `/oncall away cancel &lt;id&gt;`"),
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


async def test_an_absence_that_moves_no_shift_says_nobody_else_is_told(slack: SlackDriver) -> None:
    # Bob's shifts of 2027 start in the week of 4 January: a day before it changes nobody's shift.
    recorded = await slack.command("/oncall", "away 2026-12-30 2026-12-30", user=BOB)
    assert "No shift of theirs falls in that time." in text_of(recorded)
    assert "It changes nobody's shift, so nobody else is told." in text_of(recorded)
    assert "those who now cover" not in text_of(recorded).lower()


async def test_an_admin_names_someone_typed_as_text(slack: SlackDriver) -> None:
    recorded = await slack.command("/oncall", "away @Bob 2026-12-21 2026-12-22", user=DAVID)
    assert "Recorded absence" in text_of(recorded) and f"<@{BOB}> away" in text_of(recorded)


async def test_only_admins_record_for_others(slack: SlackDriver) -> None:
    refused = await slack.command("/oncall", f"away <@{BOB}|bob> 2026-12-21 2026-12-22", user=CAROL)
    assert "only admins record absences for someone else" in text_of(refused)
    recorded = await slack.command("/oncall", f"away <@{BOB}|bob> 2026-12-21 2026-12-22", user=DAVID)
    assert "Recorded absence" in text_of(recorded) and f"<@{BOB}> away" in text_of(recorded)
    assert f"<@{BOB}>, those who now cover and the rotation channel are told" in text_of(recorded)


async def test_history_shows_who_changed_what(slack: SlackDriver) -> None:
    await slack.command("/oncall", "away 2026-12-21 2026-12-22 trip", user=CAROL)
    answer = await slack.command("/oncall", "history 3", user=ALICE)
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert f"<@{CAROL}> (slack) absence.add `carol`" in text
    # The absence's times in the detail are shown on each reader's clock, not as UTC.
    start = int(datetime(2026, 12, 21, tzinfo=NY).timestamp())
    assert f"absence.add `carol` #1: <!date^{start}^" in text and "Mon 21 Dec 00:00 EST" in text
    assert "+00:00" not in text
    assert text.count("(import)") == 2  # the two before it: the team file's import
    assert "at most 50" in text_of(await slack.command("/oncall", "history 500", user=ALICE))


async def closed_calls(
    ctx: AppContext, client: AsyncWebClient, at: datetime
) -> list[tuple[int, list[str | None]]]:
    """The calls the deadline job closes at `at`, each with who stays backup where nobody volunteered."""
    closed = await close_expired_volunteer_calls(ctx, client, at)
    return [(c.post.call.id, [s.person for s in c.stands]) for c in closed]


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
    assert "volunteered as backup" in text_of(taken) and "<@U0DAVID01>" in text_of(taken)
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
    assert await closed_calls(ctx, client, deadline - timedelta(seconds=1)) == []
    assert await closed_calls(ctx, client, deadline) == [(1, [chosen])]
    assert await closed_calls(ctx, client, deadline) == []  # once
    [announced] = [c for c in slack.fake.of("chat.postMessage") if c.args["text"] == "Nobody volunteered"]
    assert announced.args["channel"] == "#data-oncall"
    assert_valid_blocks(announced.args["blocks"])
    text = text_of(announced.args)
    assert f"while <@{BOB}> is away" in text and f"<@{SLACK_IDS[chosen]}> backup" in text
    answer = await slack.command("/oncall", "history 1", user=ALICE)
    assert "absence.no_volunteer" in text_of(answer)
    # The call's post keeps who covers, and loses its buttons.
    [update] = slack.fake.of("chat.update")
    assert "is away, so the schedule changed" in text_of(update.args) and labels(update.args["blocks"]) == []
    assert await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup") == (chosen, Reason.ABSENCE)


async def test_a_taken_or_cancelled_call_closes_quietly(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    action_id, value = await volunteer_button(slack)
    await press(slack, action_id, value, DAVID)
    await slack.command("/oncall", "away 2026-12-16 2026-12-17", user=CAROL)  # Carol is next week's backup
    await slack.command("/oncall", "away cancel 2", user=CAROL)
    client = make_client(settings)
    # The taken one closes at its deadline, the cancelled one closed with its absence.
    assert await closed_calls(ctx, client, datetime(2026, 12, 20, tzinfo=NY)) == [(1, [])]
    assert not [c for c in slack.fake.of("chat.postMessage") if c.args["text"] == "Nobody volunteered"]


async def holder(ctx: AppContext, at: datetime, role: str) -> tuple[str | None, Reason]:
    async with ctx.sessions() as session:
        [now] = await on_call(session, at=at)
    held = now.primary if role == "primary" else now.backup
    assert held is not None
    return held.person, held.reason


def sent_to(slack: SlackDriver, channel: str, text: str) -> list[str]:
    return [
        text_of(c.args)
        for c in slack.fake.of("chat.postMessage")
        if (c.args["channel"], c.args["text"]) == (channel, text)
    ]


def all_valid(slack: SlackDriver) -> None:
    for call in slack.fake.calls:
        if call.method in ("chat.postMessage", "chat.update"):
            assert_valid_blocks(call.args["blocks"])


def labels(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_each_stretch_has_its_dates_and_a_volunteer_keeps_the_rest_of_the_post(
    slack: SlackDriver, ctx: AppContext
) -> None:
    # Bob is away across a handoff: backup of Alice's week, then primary of his own (Carol moves up).
    await slack.command("/oncall", "away 2026-12-11 2026-12-16", user=BOB)
    await posts(slack, 3)
    [post] = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == "#data-oncall"]
    first, second = (
        "I'll cover Fri 11 Dec 00:00 EST → Mon 14 Dec 09:00 EST",
        "I'll cover Mon 14 Dec 09:00 EST → Thu 17 Dec 00:00 EST",
    )
    assert labels(post.args["blocks"]) == [first, second]
    assert await holder(ctx, datetime(2026, 12, 12, 12, tzinfo=NY), "backup") == ("carol", Reason.ABSENCE)
    button = next(e for b in post.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    taken = await press(slack, button["action_id"], button["value"], DAVID)
    assert_valid_blocks(taken["blocks"])
    text = text_of(taken)
    assert labels(taken["blocks"]) == [second]  # the other stretch is still offered, with its dates
    assert "<@U0BOB0001> is away, so the schedule changed" in text and "<@U0CAROL01> primary" in text
    assert "<@U0DAVID01> volunteered as backup <!date^" in text
    assert await holder(ctx, datetime(2026, 12, 12, 12, tzinfo=NY), "backup") == ("david", Reason.VOLUNTEER)
    # The bot's pick for that stretch is told they are free of it.
    await wait_for(lambda: bool(sent_to(slack, CAROL, "A volunteer changed your shifts")))
    [told] = sent_to(slack, CAROL, "A volunteer changed your shifts")
    assert (
        "<@U0DAVID01> volunteered as backup" in told
        and "no longer data-oncall backup <!date^1796965200^" in told
    )
    # The second stretch: Carol is primary then, Alice may take it; then nothing is left to offer.
    assert (
        "you are primary" in (await press(slack, button["action_id"], json_of(second, taken), CAROL))["text"]
    )
    done = await press(slack, button["action_id"], json_of(second, taken), ALICE)
    assert labels(done["blocks"]) == [] and text_of(done).count("volunteered as backup") == 2
    all_valid(slack)


def json_of(label: str, blocks_holder: dict[str, Any]) -> str:
    return next(
        e["value"]
        for b in blocks_holder["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == label
    )


async def test_two_volunteers_at_once_one_wins_and_the_other_is_told(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    action_id, value = await volunteer_button(slack)
    statuses = await asyncio.gather(*(slack.press(action_id, value, user=u) for u in (CAROL, DAVID)))
    assert statuses == [200, 200]
    await wait_for(lambda: bool(slack.fake.of("chat.update")) and bool(slack.fake.of("response:action")))
    [lost] = [c.args["text"] for c in slack.fake.of("response:action")]
    assert lost == "Not taken: someone else volunteered first."
    [update] = slack.fake.of("chat.update")
    winner = "carol" if "<@U0CAROL01> volunteered" in text_of(update.args) else "david"
    assert f"<@{SLACK_IDS[winner]}> volunteered as backup" in text_of(update.args)
    assert await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup") == (winner, Reason.VOLUNTEER)
    assert text_of(await slack.command("/oncall", "history 3", user=ALICE)).count("absence.volunteer") == 1


async def test_cancelling_an_absence_tells_everyone_who_covers_now_and_closes_the_call(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    action_id, value = await volunteer_button(slack)
    chosen, _ = await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup")
    volunteer = "david" if chosen == "carol" else "carol"
    await press(slack, action_id, value, SLACK_IDS[volunteer])
    answer = await slack.command("/oncall", "away cancel 1", user=BOB)
    assert_valid_blocks(answer["blocks"])
    assert "Cancelled absence #1" in text_of(answer) and "Who covers now" in text_of(answer)
    # The bot's pick may still be hearing of the volunteer: wait for these two by name.
    await wait_for(lambda: bool(sent_to(slack, SLACK_IDS[volunteer], "Your shifts changed back")))
    await wait_for(lambda: bool(sent_to(slack, "#data-oncall", "Bob's absence is cancelled")))
    [channel] = sent_to(slack, "#data-oncall", "Bob's absence is cancelled")
    assert "<@U0BOB0001> backup" in channel and f"No longer covering: <@{SLACK_IDS[volunteer]}>" in channel
    [dm] = sent_to(slack, SLACK_IDS[volunteer], "Your shifts changed back")
    assert "<@U0BOB0001>'s absence #1 is cancelled" in dm
    # The call's post loses its buttons, and at the deadline nothing is announced or logged.
    await wait_for(lambda: len(slack.fake.of("chat.update")) == 2)
    closed = slack.fake.of("chat.update")[-1].args["blocks"]
    assert "no cover is needed" in str(closed) and labels(closed) == []
    assert await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup") == ("bob", Reason.ROTATION)
    client = make_client(settings)
    assert await closed_calls(ctx, client, datetime(2026, 12, 9, tzinfo=NY)) == []
    all_valid(slack)
    history = text_of(await slack.command("/oncall", "history 5", user=ALICE))
    assert "absence.cancel `bob` #1 removed" in history and "absence.no_volunteer" not in history
    late = await press(slack, action_id, value, ALICE)
    assert "no cover is needed any more" in late["text"]


async def test_cancelling_an_absence_under_way_keeps_its_past(slack: SlackDriver, ctx: AppContext) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=ALICE)  # Alice is primary this week
    await posts(slack, 3)
    covering = {
        c.args["channel"]
        for c in slack.fake.of("chat.postMessage")
        if c.args["text"] == "You now cover a shift"
    }
    assert BOB in covering and len(covering) == 2
    midway = datetime(2026, 12, 9, 12, tzinfo=NY)
    object.__setattr__(ctx, "clock", lambda: midway)
    answer = await slack.command("/oncall", "away cancel 1", user=ALICE)
    assert "Ended absence #1 now; the time already away stays" in text_of(answer)
    await wait_for(lambda: len(slack.fake.of("chat.postMessage")) == 6)
    # Those who were told they cover are told it changed back, and the channel too.
    told = {
        c.args["channel"]
        for c in slack.fake.of("chat.postMessage")
        if c.args["text"] == "Your shifts changed back"
    }
    assert told == covering
    [channel] = sent_to(slack, "#data-oncall", "Alice's absence is cancelled")
    assert (
        f"ends early, at <!date^{int(midway.timestamp())}^" in channel and "<@U0ALICE01> primary" in channel
    )
    assert await holder(ctx, datetime(2026, 12, 9, 6, tzinfo=NY), "primary") == ("bob", Reason.ABSENCE)
    assert await holder(ctx, midway, "primary") == ("alice", Reason.ROTATION)
    assert await holder(ctx, datetime(2026, 12, 10, 12, tzinfo=NY), "primary") == ("alice", Reason.ROTATION)
    all_valid(slack)
    assert "no absence recorded" in text_of(await slack.command("/oncall", "away list", user=ALICE))
    assert "is over already" in text_of(await slack.command("/oncall", "away cancel 1", user=ALICE))
    history = text_of(await slack.command("/oncall", "history 1", user=ALICE))
    assert f"absence.cancel `alice` #1 ended at <!date^{int(midway.timestamp())}^" in history


async def test_an_absentee_in_another_zone_is_away_on_their_own_days(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await living_in(ctx, "bob", "Europe/London")
    answer = await slack.command(
        "/oncall", "away 2026-12-09 2026-12-10", user=BOB
    )  # Bob is this week's backup
    london_midnight = datetime(2026, 12, 9, tzinfo=ZoneInfo("Europe/London"))
    assert (
        f"<!date^{int(london_midnight.timestamp())}^{{date_short_pretty}} {{time}}|Wed 09 Dec 00:00 GMT>"
        in text_of(answer)
    )
    assert await holder(ctx, datetime(2026, 12, 8, 18, 59, tzinfo=NY), "backup") == ("bob", Reason.ROTATION)
    chosen, why = await holder(ctx, datetime(2026, 12, 8, 19, tzinfo=NY), "backup")  # London's midnight
    assert chosen in ("carol", "david") and why is Reason.ABSENCE
    await posts(slack, 2)
    [channel] = sent_to(slack, "#data-oncall", "Bob is away")
    assert "Tue 08 Dec 19:00 EST" in channel  # the channel reads the rotation's clock


async def test_app_home_and_the_calendar_feed_show_an_absence(slack: SlackDriver, ctx: AppContext) -> None:
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=ALICE)
    home = await slack.app_home(BOB)
    assert "vacation cover: Alice away" in str(home)
    links = text_of(await slack.command("/oncall", "calendar", user=BOB))
    [path] = re.findall(r"https://oncall\.example\.com(/calendar/[\w-]+\.ics)", links)[:1]
    feed = (await (await slack.http.get(path)).text()).replace("\r\n ", "")
    assert "On call (primary)\\, data-oncall: Bob" in feed and "vacation cover: Alice away" in feed


async def test_the_person_away_is_told_when_an_admin_records_or_cancels_it(slack: SlackDriver) -> None:
    await slack.command("/oncall", f"away <@{BOB}|bob> 2026-12-09 2026-12-10 flu", user=DAVID)
    await wait_for(lambda: bool(sent_to(slack, BOB, "An absence was recorded for you")))
    [told] = sent_to(slack, BOB, "An absence was recorded for you")
    assert f"<@{DAVID}> recorded absence #1 for you: away <!date^" in told and "(flu)" in told
    assert "*Who covers*" in told
    assert "`/oncall away cancel 1` takes it back" in told
    # A week without a shift of his: still told, by the admin who records it and who cancels it.
    await slack.command("/oncall", f"away <@{BOB}|bob> 2026-12-22 2026-12-23", user=DAVID)
    await wait_for(lambda: len(sent_to(slack, BOB, "An absence was recorded for you")) == 2)
    second = sent_to(slack, BOB, "An absence was recorded for you")[1]
    assert "No shift of yours falls in that time." in second
    await slack.command("/oncall", "away cancel 2", user=DAVID)
    await wait_for(lambda: bool(sent_to(slack, BOB, "Your absence is cancelled")))
    [back] = sent_to(slack, BOB, "Your absence is cancelled")
    assert "<@U0BOB0001>'s absence #2 is cancelled; no shift of yours changes." in back
    all_valid(slack)


async def test_admins_list_someone_elses_absences_or_everyones(slack: SlackDriver) -> None:
    await slack.command("/oncall", "away 2026-12-21 2026-12-31 holidays", user=CAROL)
    await slack.command("/oncall", "away 2026-12-16 2026-12-17 move", user=BOB)
    refused = await slack.command("/oncall", f"away list <@{CAROL}|carol>", user=BOB)
    assert "only admins list someone else's absences" in text_of(refused)
    assert "only admins list" in text_of(await slack.command("/oncall", "away list all", user=BOB))
    assert "*Your absences*" in text_of(await slack.command("/oncall", f"away list <@{CAROL}>", user=CAROL))
    carols = await slack.command("/oncall", f"away list <@{CAROL}|carol>", user=ALICE)
    assert_valid_blocks(carols["blocks"])
    listed = text_of(carols)
    assert f"*Absences of <@{CAROL}>*" in listed and "#1: <!date^" in listed and "(holidays)" in listed
    assert "#2" not in listed
    everyone = await slack.command("/oncall", "away list all", user=ALICE)
    assert_valid_blocks(everyone["blocks"])
    assert f"• #2: <@{BOB}> <!date^" in text_of(everyone) and f"• #1: <@{CAROL}> <!date^" in text_of(everyone)
    stranger = await slack.command("/oncall", "away list <@U0STRANGER>", user=ALICE)
    assert "is not in the team file" in text_of(stranger)


async def test_an_absence_under_way_counts_from_now_and_still_asks_for_a_volunteer(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    three_am = datetime(2026, 12, 8, 3, tzinfo=NY)
    object.__setattr__(ctx, "clock", lambda: three_am)
    answer = await slack.command("/oncall", "away 2026-12-08 2026-12-09 sick", user=BOB)  # backup this week
    thursday = f"<!date^{int(datetime(2026, 12, 10, tzinfo=NY).timestamp())}^"
    assert f"<@{BOB}> away from now until {thursday}" in text_of(answer) and "(sick)" in text_of(answer)
    midnight = int(datetime(2026, 12, 8, tzinfo=NY).timestamp())
    assert f"<!date^{midnight}^" not in text_of(answer)
    # The night so far stays as it was; from now on the bot's pick is backup.
    assert await holder(ctx, datetime(2026, 12, 8, 2, 59, tzinfo=NY), "backup") == ("bob", Reason.ROTATION)
    chosen, why = await holder(ctx, three_am, "backup")
    assert chosen in ("carol", "david") and why is Reason.ABSENCE
    await wait_for(lambda: bool(sent_to(slack, SLACK_IDS[chosen], "You now cover a shift")))
    [dm] = sent_to(slack, SLACK_IDS[chosen], "You now cover a shift")
    assert f"backup from now until {thursday}" in dm
    # The channel is asked for a volunteer, for an hour.
    [post] = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == "#data-oncall"]
    assert labels(post.args["blocks"]) == ["I'll cover from now → Thu 10 Dec 00:00 EST"]
    four_am = datetime(2026, 12, 8, 4, tzinfo=NY)
    assert f"Until <!date^{int(four_am.timestamp())}^" in text_of(post.args)
    # A volunteer half an hour later takes over from that moment on.
    volunteer = "david" if chosen == "carol" else "carol"
    half_past = datetime(2026, 12, 8, 3, 30, tzinfo=NY)
    object.__setattr__(ctx, "clock", lambda: half_past)
    [button] = [e for b in post.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    await press(slack, button["action_id"], button["value"], SLACK_IDS[volunteer])
    assert await holder(ctx, datetime(2026, 12, 8, 3, 29, tzinfo=NY), "backup") == (chosen, Reason.ABSENCE)
    assert await holder(ctx, half_past, "backup") == (volunteer, Reason.VOLUNTEER)
    history = text_of(await slack.command("/oncall", "history 2", user=ALICE))
    assert f"(asked from <!date^{midnight}^" in history
    all_valid(slack)


async def swap_over_the_call(
    slack: SlackDriver, ctx: AppContext, when: str
) -> tuple[str, str, dict[str, Any]]:
    """Bob, this week's backup, is away; the bot's pick asks a teammate to cover `when`, who approves.
    The bot's pick, the teammate, and the call's post as it is then."""
    await slack.command("/oncall", "away 2026-12-09 2026-12-10", user=BOB)
    await volunteer_button(slack)
    chosen, _ = await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup")
    mate = "david" if chosen == "carol" else "carol"
    asked = await slack.command("/swap", f"<@{SLACK_IDS[mate]}|{mate}> {when} cover", user=SLACK_IDS[chosen])
    assert "Asked" in text_of(asked)
    await remembered(ctx)
    [dm] = [c for c in slack.fake.of("chat.postMessage") if c.args["text"].endswith("asks you about a swap")]
    approve = next(e for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    updates = len(slack.fake.of("chat.update"))
    assert await slack.press(approve["action_id"], approve["value"], user=SLACK_IDS[mate]) == 200
    await wait_for(lambda: len(sent_to(slack, "#data-oncall", "Swap approved")) == 1)
    await wait_for(lambda: len(slack.fake.of("chat.update")) == updates + 2)  # the request, the call
    [post] = [c.args for c in slack.fake.of("chat.update")[updates:] if c.args["channel"] == "#data-oncall"]
    return chosen, mate, post


async def test_an_approved_swap_settles_the_offered_backup_and_a_late_i_will_cover_is_refused(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    chosen, mate, post = await swap_over_the_call(slack, ctx, "2026-12-09")
    # The call's post no longer offers that time, and says why.
    assert labels(post["blocks"]) == [] and "is settled by swap #1: no volunteer needed" in text_of(post)
    action_id, value = await volunteer_button(slack)  # as first posted
    # A late "I'll cover" from the bot's pick is refused, and the swap stands.
    late = await press(slack, action_id, value, SLACK_IDS[chosen])
    assert late["text"] == "Not taken: that time's backup was settled by swap #1."
    assert await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup") == (mate, Reason.SWAP)
    assert not sent_to(slack, SLACK_IDS[mate], "A volunteer changed your shifts")
    listed = await slack.command("/swap", "list", user=SLACK_IDS[chosen])
    assert "#1 (approved)" in text_of(listed)
    # At the deadline nothing is left to announce.
    client = make_client(settings)
    assert await closed_calls(ctx, client, datetime(2026, 12, 9, tzinfo=NY)) == [(1, [])]
    assert not sent_to(slack, "#data-oncall", "Nobody volunteered")
    all_valid(slack)


async def test_a_swap_over_part_of_an_offered_stretch_leaves_the_rest_offered(
    slack: SlackDriver, ctx: AppContext
) -> None:
    _, mate, post = await swap_over_the_call(slack, ctx, "2026-12-09..2026-12-09")
    assert labels(post["blocks"]) == ["I'll cover Thu 10 Dec 00:00 EST → Fri 11 Dec 00:00 EST"]
    [button] = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    taken = await press(slack, button["action_id"], button["value"], SLACK_IDS[mate])
    assert labels(taken["blocks"]) == [] and f"<@{SLACK_IDS[mate]}> volunteered as backup" in text_of(taken)
    assert await holder(ctx, datetime(2026, 12, 9, 12, tzinfo=NY), "backup") == (mate, Reason.SWAP)
    assert await holder(ctx, datetime(2026, 12, 10, 12, tzinfo=NY), "backup") == (mate, Reason.VOLUNTEER)
    all_valid(slack)
