"""`/oncall` end to end: signed requests in, Block Kit out, nothing sent to Slack that shouldn't be."""

from __future__ import annotations

from datetime import datetime

import pytest
from icalendar import Calendar

from bot.context import AppContext
from bot.delivery.email_lookups import EmailLookups
from bot.delivery.slack_api import make_client
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID, NY, PLAIN_DAY, ROOT, SlackDriver
from tests.slack.team_edits import daily_in_munich


async def test_now_names_primary_and_backup_with_why_and_until(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall")
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert f"*Primary:* <@{ALICE}> (regular rotation)" in text
    assert f"*Backup:* <@{BOB}> (regular rotation)" in text
    assert "until <!date^" in text and "Mon 14 Dec 09:00 EST" in text
    assert answer["response_type"] == "ephemeral"
    assert slack.fake.calls == []  # answered in the acknowledgement itself


async def test_share_posts_in_channel(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "now share")
    assert answer["response_type"] == "in_channel"


@pytest.mark.parametrize("now", [datetime(2026, 11, 26, 12, tzinfo=NY)])
async def test_holiday_cover_is_explained(slack: SlackDriver) -> None:
    text = text_of(await slack.command("/oncall", "now"))
    assert f"*Primary:* <@{DAVID}> (holiday cover: covers Thanksgiving Day for Carol)" in text


async def test_next_handoff(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "next")
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert f"*Incoming primary:* <@{BOB}>" in text and f"*Incoming backup:* <@{CAROL}>" in text


@pytest.mark.parametrize("weeks", ["", "1", "26"])
async def test_schedule(slack: SlackDriver, weeks: str) -> None:
    answer = await slack.command("/oncall", f"schedule {weeks}")
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert f"<@{ALICE}>" in text
    if weeks in ("", "26"):
        assert "Christmas Day" in text


async def test_me(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "me", user=ALICE)
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert "Your on-call" in text and "Profit Pipeline" in text and "primary owner" in text
    assert "Christmas Day" in text  # the big day Alice covers this year


async def test_a_daily_rotation_shows_eight_weeks_summed_up(slack: SlackDriver, ctx: AppContext) -> None:
    await daily_in_munich(ctx)
    for answer in (
        await slack.command("/oncall", "me", user=ALICE),
        await slack.command("/oncall", f"<@{BOB}|bob>"),
    ):
        assert_valid_blocks(answer["blocks"])  # every section within Slack's limits, nothing cut
        text = text_of(answer)
        assert "primary · _regular rotation_, " in text and "backup · _regular rotation_, " in text
        assert "08:00→08:00" in text and "(Europe/Berlin)" in text
        # The promised eight weeks: a shift in the last of them is there.
        assert " Jan " in text and " Feb " in text
        assert "`/oncall calendar` gives its feed" in text
    home = await slack.app_home(ALICE)
    assert_valid_blocks(home, surface="home")
    assert "primary · _regular rotation_, " in text_of({"blocks": home})


async def test_someone_else(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", f"<@{BOB}|bob>")
    text = text_of(answer)
    assert "On-call of Bob" in text and "Growth Pipeline" in text


async def test_people_named_by_email_only_are_mentioned_once_found_in_slack(
    slack: SlackDriver, ctx: AppContext
) -> None:
    async with ctx.sessions() as session:
        week5 = load_team_file(ROOT / "examples" / "week5-team.yaml")  # emails, no Slack ids
        await import_team(session, team=week5, actor="test", source="import")
    assert "not in the team file yet" in text_of(await slack.command("/oncall", "me", user=BOB))
    slack.fake.users_by_email = {"bob@example.com": BOB, "charlie@example.com": CAROL}
    lookups = EmailLookups(ctx.sessions, ctx.views, make_client(ctx.settings, token="xoxb-test"))
    await lookups.look_up_missing(now=PLAIN_DAY)
    text = text_of(await slack.command("/oncall", "now"))
    assert f"*Primary:* <@{BOB}> (regular rotation)" in text
    assert f"*Backup:* <@{CAROL}> (regular rotation)" in text
    assert "Your on-call" in text_of(await slack.command("/oncall", "me", user=BOB))


async def test_someone_outside_the_team(slack: SlackDriver) -> None:
    text = text_of(await slack.command("/oncall", "<@U0STRANGER>"))
    assert "not in the team file" in text


async def test_me_for_a_stranger(slack: SlackDriver) -> None:
    text = text_of(await slack.command("/oncall", "me", user="U0STRANGER"))
    assert "not in the team file yet" in text and "U0STRANGER" in text


async def test_pipeline(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "growth")
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert "Growth Pipeline" in text and f"*Primary owner:* <@{BOB}>" in text and "available" in text
    assert "Show the full runbook" in text


async def test_holidays(slack: SlackDriver) -> None:
    answer = await slack.command("/oncall", "holidays 2027")
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert "Holiday duty 2027" in text and "Thanksgiving Day" in text
    # Why each cover, and the counts of the year and since the rotation started.
    thanksgiving = next(line for line in text.splitlines() if "Thanksgiving Day" in line)
    assert "big day: had no big holiday yet; not David, who covered it in 2026" in thanksgiving
    christmas = next(line for line in text.splitlines() if "Christmas Day (observed)" in line)
    assert "observed, with Sat 25 Dec: counts once" in christmas
    assert "Count 2027: *Alice* " in text  # named, not mentioned
    assert "Count 2026–2027: *Alice* 5 (big 1), *Bob* 6 (big 1), *Carol* 6 (big 1), *David* 5 (big 2)" in text


async def test_holidays_of_a_year_before_the_rotation_says_so(slack: SlackDriver) -> None:
    text = text_of(await slack.command("/oncall", "holidays 1999"))
    assert "data-oncall starts in 2026: it has no holiday duty in 1999." in text
    assert "No holidays" not in text and "Count" not in text


@pytest.mark.parametrize("typed", ["bob", "@Bob", "Bob"])
async def test_a_teammate_typed_as_text_shows_their_on_call(slack: SlackDriver, typed: str) -> None:
    answer = await slack.command("/oncall", typed)
    assert_valid_blocks(answer["blocks"])
    assert "On-call of Bob" in text_of(answer)


async def test_help(slack: SlackDriver) -> None:
    assert "/oncall calendar" in text_of(await slack.command("/oncall", "help"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("nwo", "Did you mean `/oncall now`?"),
        ("schedule 99", "weeks from 1 to 26"),
        ("holidays next", "/oncall holidays [year]"),
        ("xyzzy", "neither an `/oncall` sub-command nor a pipeline"),
        ("@nobody", "There is no teammate called `@nobody` in the team file."),
        ("@Carl", "Did you mean Carol (`carol`)?"),
        ("carl", "There is no teammate of that name either; did you mean Carol (`/oncall carol`)?"),
    ],
)
async def test_bad_input_gets_usage(slack: SlackDriver, text: str, says: str) -> None:
    answer = await slack.command("/oncall", text)
    assert_valid_blocks(answer["blocks"])
    assert says in text_of(answer)


@pytest.mark.parametrize(
    "hostile",
    [
        "<!channel>",
        "<!here|here>",
        "@everyone please",
        "<https://evil.example|click me>",
        "../../etc/passwd",
        "x" * 10_000,
    ],
)
async def test_hostile_input_is_neutralised(slack: SlackDriver, hostile: str) -> None:
    answer = await slack.command("/oncall", hostile)
    assert_valid_blocks(answer["blocks"])
    text = text_of(answer)
    assert "<https://evil" not in text and "<!channel>" not in text


async def test_calendar_links_then_reset(slack: SlackDriver) -> None:
    text = text_of(await slack.command("/oncall", "calendar"))
    urls = [w for w in text.split() if w.startswith("https://oncall.example.com/calendar/")]
    assert len(urls) == 2
    feed = await slack.http.get(urls[0].removeprefix("https://oncall.example.com"))
    assert feed.status == 200 and feed.content_type == "text/calendar"
    events = Calendar.from_ical(await feed.text()).walk("VEVENT")
    assert events and all(str(e["SUMMARY"]).endswith(": Alice") for e in events)
    assert any(str(e["SUMMARY"]).startswith("On call (primary)") for e in events)
    again = text_of(await slack.command("/oncall", "calendar"))
    assert "can't be shown again" in again
    assert "Revoked 2 calendar links" in text_of(await slack.command("/oncall", "calendar reset"))
    assert (await slack.http.get(urls[0].removeprefix("https://oncall.example.com"))).status == 404


async def test_empty_store(slack: SlackDriver, ctx) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from bot.store.models import TeamSettings

    async with ctx.sessions() as session:
        await session.execute(delete(TeamSettings))
        await session.commit()
    assert "no team has been imported yet" in text_of(await slack.command("/oncall", "now"))
