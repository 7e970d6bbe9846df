"""The handoff post for the Week 6 team: its content, and sending it exactly once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule.model import Override, Reason, Role
from bot.delivery.outbox import send_once
from bot.delivery.slack_api import make_client
from bot.features.handoff.handoff import Handoff, handoffs_between
from bot.features.oncall.views import load_view
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.messages.handoff import handoff_blocks
from bot.settings import Settings
from bot.shell.terminal import render_blocks
from bot.store.schedule import add_absence, add_override
from bot.store.swaps import add_request, transition
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.fakeslack import DROP, FakeSlack, record_rate_limit_waits

NY = ZoneInfo("America/New_York")
WEEK6 = load_team_file(Path(__file__).resolve().parents[2] / "examples" / "week6-team.yaml")
Sessions = async_sessionmaker[AsyncSession]
PEOPLE = {p.id: p for p in WEEK6.people}
NAMES = {p.slack_id: p.name for p in WEEK6.people if p.slack_id}


@pytest.fixture
async def team(session_maker: Sessions) -> Sessions:
    async with session_maker() as session:
        await import_team(session, team=WEEK6, actor="t", source="cli")
    return session_maker


async def handoff_on(sessions: Sessions, day: datetime) -> Handoff:
    async with sessions() as session:
        view = await load_view(session)
        [found] = await handoffs_between(
            session, view=view, since=day - timedelta(hours=12), until=day + timedelta(hours=12)
        )
    return found


def text(handoff: Handoff) -> str:
    blocks = handoff_blocks(handoff, PEOPLE)
    assert_valid_blocks(blocks)
    return text_of(blocks)


async def test_plain_week(team: Sessions) -> None:
    handoff = await handoff_on(team, datetime(2026, 12, 7, 9, tzinfo=NY))
    assert handoff.key == "handoff:data-oncall:2026-12-07" and handoff.channel == "#data-oncall"
    assert [s.person for s in handoff.outgoing] == ["david", "alice"]
    assert [s.person for s in handoff.incoming if s] == ["alice", "bob"]
    assert handoff.duties == [] and handoff.changes == []
    assert "*Outgoing:* <@U0DAVID01> primary, <@U0ALICE01> backup" in text(handoff)


async def test_thanksgiving_week_names_the_cover(team: Sessions) -> None:
    handoff = await handoff_on(team, datetime(2026, 11, 23, 9, tzinfo=NY))
    [thanksgiving] = handoff.duties
    assert thanksgiving.holiday.name == "Thanksgiving Day" and thanksgiving.person == "david"
    assert "Thanksgiving Day: <@U0DAVID01> covers" in text(handoff)


def week6_pair(monday: datetime) -> list[str]:
    """The Week 6 plan by hand: weekly from Monday 5 January 2026, alice, bob, carol, david in turn
    as primary, the next one as backup."""
    members = ["alice", "bob", "carol", "david"]
    k = (monday.date() - datetime(2026, 1, 5).date()).days // 7
    return [members[k % 4], members[(k + 1) % 4]]


async def test_a_holiday_on_the_handoff_day_names_the_weeks_pair_and_the_cover_apart(team: Sessions) -> None:
    labor_day = datetime(2026, 9, 7, 9, tzinfo=NY)
    handoff = await handoff_on(team, labor_day)
    outgoing, incoming = week6_pair(labor_day - timedelta(weeks=1)), week6_pair(labor_day)
    assert (outgoing, incoming) == (["carol", "david"], ["david", "alice"])
    # Who held each role before the holiday began, and who holds it once it is over.
    assert [s.person for s in handoff.outgoing if s] == outgoing
    assert [s.person for s in handoff.incoming if s] == incoming
    # Holiday duty is balanced over the year: Bob's turn, he has the fewest by then (see
    # tests/schedule/test_holidays.py); Alice stays the week's backup.
    [labor] = handoff.duties
    assert (labor.holiday.name, labor.person) == ("Labor Day", "bob")
    text(handoff)  # valid blocks
    said = render_blocks(handoff_blocks(handoff, PEOPLE), NAMES).text
    assert "Outgoing: @Carol primary, @David backup" in said
    assert "Incoming primary: @David (regular rotation), until Mon 14 Sep 09:00 EDT" in said
    assert "Incoming backup: @Alice (regular rotation), until Mon 14 Sep 09:00 EDT" in said
    assert "Mon 07 Sep 2026 Labor Day: @Bob covers" in said
    assert "Swaps and absences" not in said


async def test_last_week_of_december_lists_both_days(team: Sessions) -> None:
    handoff = await handoff_on(team, datetime(2026, 12, 21, 9, tzinfo=NY))
    assert [d.holiday.day.isoformat() for d in handoff.duties] == ["2026-12-24", "2026-12-25"]


async def test_swaps_and_absences_in_force_are_listed(team: Sessions) -> None:
    monday = datetime(2026, 12, 7, 9, tzinfo=NY)
    async with team() as session:
        await add_absence(
            session,
            person="bob",
            start=monday + timedelta(days=2),
            end=monday + timedelta(days=4),
            reason="vacation",
            actor="bob",
            source="slack",
            at=monday,
        )
        swap = Override(
            "data-oncall",
            Role.PRIMARY,
            "carol",
            monday + timedelta(days=5),
            monday + timedelta(days=6),
            Reason.SWAP,
            note="swap #3",
        )
        await add_override(session, override=swap, actor="carol", source="slack", at=monday)
        await session.commit()
    handoff = await handoff_on(team, monday)
    reasons = {(s.person, s.reason) for s in handoff.changes}
    assert ("carol", Reason.SWAP) in reasons and any(r is Reason.ABSENCE for _, r in reasons)
    assert "Bob away" in text(handoff) and "swap #3" in text(handoff)  # by name, as Slack shows people


async def test_swap_requests_still_waiting_are_listed(team: Sessions) -> None:
    monday = datetime(2026, 12, 7, 9, tzinfo=NY)
    async with team() as session:
        for teammate, weeks in (("carol", 2), ("david", 3)):
            await add_request(
                session,
                rotation="data-oncall",
                requester="bob",
                teammate=teammate,
                mode="cover",
                give=(monday + timedelta(weeks=weeks), monday + timedelta(weeks=weeks, days=1)),
                take=None,
                reason="dentist",
                actor="bob",
                source="slack",
                at=monday - timedelta(days=1),
            )
        await transition(session, swap_id=2, from_state="pending", to_state="declined", by="david", at=monday)
        await session.commit()
    handoff = await handoff_on(team, monday)
    assert [(s.id, s.teammate) for s in handoff.pending_swaps] == [(1, "carol")]
    assert "*Swap requests waiting for an answer*" in text(handoff)
    assert "#1: <@U0CAROL01> covers <@U0BOB0001>'s time" in text(handoff)
    assert "waiting for <@U0CAROL01>" in text(handoff) and "#2" not in text(handoff)
    later = await handoff_on(team, monday + timedelta(weeks=3))  # past its start, it has expired
    assert later.pending_swaps == []


@pytest.fixture
async def slack(team: Sessions, fake_slack: FakeSlack) -> tuple[Sessions, FakeSlack, Settings]:
    settings = Settings(_env_file=None, slack_api_url=fake_slack.url)  # type: ignore[call-arg]
    return team, fake_slack, settings


async def send(
    sessions: Sessions, settings: Settings, owner: str = "replica-1", client: AsyncWebClient | None = None
) -> str:
    handoff = await handoff_on(sessions, datetime(2026, 11, 23, 9, tzinfo=NY))
    blocks = handoff_blocks(handoff, PEOPLE)
    return await send_once(
        sessions,
        client or make_client(settings, token="xoxb-test"),
        key=handoff.key,
        job="handoff",
        channel=handoff.channel,
        blocks=blocks,
        text="Handoff",
        owner=owner,
        now=handoff.at,
    )


async def test_two_replicas_post_once(slack: tuple[Sessions, FakeSlack, Settings]) -> None:
    sessions, fake, settings = slack
    outcomes = await asyncio.gather(send(sessions, settings, "a"), send(sessions, settings, "b"))
    assert sorted(outcomes) == ["already sent", "sent"]
    [post] = fake.of("chat.postMessage")
    assert post.args["channel"] == "#data-oncall"
    assert await send(sessions, settings) == "already sent"


async def test_a_server_error_is_retried_within_the_send(slack: tuple[Sessions, FakeSlack, Settings]) -> None:
    sessions, fake, settings = slack
    fake.fail("chat.postMessage", 503)
    assert await send(sessions, settings) == "sent"
    assert len(fake.of("chat.postMessage")) == 2
    assert await send(sessions, settings) == "already sent"


async def test_a_post_failing_for_good_is_released_and_sent_later(
    slack: tuple[Sessions, FakeSlack, Settings], caplog: pytest.LogCaptureFixture
) -> None:
    sessions, fake, settings = slack
    fake.fail("chat.postMessage", 500, times=3)
    assert await send(sessions, settings) == "failed: fatal_error"
    assert "will be tried again: fatal_error" in caplog.text
    assert await send(sessions, settings) == "sent"
    assert len(fake.of("chat.postMessage")) == 4


async def test_a_proxy_error_page_is_logged_with_its_status(
    slack: tuple[Sessions, FakeSlack, Settings], caplog: pytest.LogCaptureFixture
) -> None:
    sessions, fake, settings = slack
    fake.html_errors = True
    fake.fail("chat.postMessage", 502, times=3)  # the first try and both retries
    assert await send(sessions, settings) == "failed: HTTP 502"
    assert "handoff:data-oncall:2026-11-23 to #data-oncall failed, will be tried again: HTTP 502" in (
        caplog.text
    )
    assert await send(sessions, settings) == "sent"


async def test_rate_limit_is_waited_out(
    slack: tuple[Sessions, FakeSlack, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions, fake, settings = slack
    waits = record_rate_limit_waits(monkeypatch)
    fake.retry_after = 3
    fake.fail("chat.postMessage", 429)
    assert await send(sessions, settings) == "sent"
    assert len(waits) == 1 and 3 <= waits[0] < 4
    first, second = fake.of("chat.postMessage")  # refused with 429, then posted
    assert first.args == second.args
    assert await send(sessions, settings) == "already sent"
    assert len(fake.of("chat.postMessage")) == 2


async def test_a_dropped_connection_releases_the_claim_and_says_why(
    slack: tuple[Sessions, FakeSlack, Settings], caplog: pytest.LogCaptureFixture
) -> None:
    sessions, fake, settings = slack
    fake.fail("chat.postMessage", DROP, times=3)  # the first try and both retries
    assert await send(sessions, settings) == "failed: Server disconnected"
    assert "will be tried again: Server disconnected" in caplog.text
    assert await send(sessions, settings) == "sent"


class BrokenConnection:
    """A Web API client whose connection fails the way aiohttp does, after slack_sdk's retries."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def chat_postMessage(self, **message: object) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (TimeoutError(), "TimeoutError"),
        (
            aiohttp.ClientPayloadError("Response payload is not completed"),
            "Response payload is not completed",
        ),
        (aiohttp.ServerDisconnectedError(), "Server disconnected"),
    ],
)
async def test_a_connection_failing_for_good_gives_the_post_up_for_the_next_run(
    slack: tuple[Sessions, FakeSlack, Settings], error: Exception, reason: str
) -> None:
    sessions, fake, settings = slack
    broken = BrokenConnection(error)
    assert await send(sessions, settings, client=broken) == f"failed: {reason}"  # type: ignore[arg-type]
    assert await send(sessions, settings) == "sent"
    assert len(fake.of("chat.postMessage")) == 1
