"""People the team file names by email only are found in Slack once, and used as if the file named them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.team import Person, TeamFile
from bot.delivery.email_lookups import EmailLookups
from bot.delivery.slack_api import make_client
from bot.features.oncall.views import TeamViews, load_view
from bot.features.teamfile.dump import dump_team_file
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import export_team, import_team
from bot.settings import Settings
from bot.store.team import team_revision
from tests.slack.fakeslack import WEEK5_USERS, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
WEEK5 = load_team_file(ROOT / "examples" / "week5-team.yaml")  # every person by email only
FOUND = {"alice": "U0ALICE01", "bob": "U0BOB0001", "charlie": "U0CHARLIE", "david": "U0DAVID01"}
NOW = datetime(2026, 12, 8, 14, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


async def apply(sessions: Sessions, team: TeamFile) -> None:
    async with sessions() as session:
        await import_team(session, team=team, actor="admin", source="import")


async def slack_ids(sessions: Sessions) -> dict[str, str | None]:
    async with sessions() as session:
        view = await load_view(session)
    return {p.id: p.slack_id for p in view.file.people}


def asked(fake: FakeSlack) -> list[str]:
    return [c.args["email"] for c in fake.of("users.lookupByEmail")]


@pytest.fixture
async def lookups(session_maker: Sessions, fake_slack: FakeSlack) -> EmailLookups:
    await apply(session_maker, WEEK5)
    settings = Settings(_env_file=None, slack_api_url=fake_slack.url)  # type: ignore[call-arg]
    return EmailLookups(session_maker, TeamViews(recheck=0), make_client(settings, token="xoxb-test"))


async def test_people_named_by_email_get_their_slack_ids_once(
    lookups: EmailLookups, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    fake_slack.users_by_email = dict(WEEK5_USERS)
    async with session_maker() as session:
        before = await team_revision(session)
    await lookups.look_up_missing(now=NOW)
    assert sorted(asked(fake_slack)) == sorted(WEEK5_USERS)
    assert await slack_ids(session_maker) == FOUND
    async with session_maker() as session:  # so that every replica's cached team reloads
        assert await team_revision(session) == (before or 0) + 1
    await lookups.look_up_missing(now=NOW + timedelta(days=30))
    assert len(asked(fake_slack)) == len(WEEK5_USERS)


async def test_an_email_slack_does_not_know_is_asked_again_after_a_day(
    lookups: EmailLookups, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    fake_slack.users_by_email = {e: i for e, i in WEEK5_USERS.items() if e != "david@example.com"}
    await lookups.look_up_missing(now=NOW)
    assert (await slack_ids(session_maker))["david"] is None
    await lookups.look_up_missing(now=NOW + timedelta(hours=23))
    assert len(asked(fake_slack)) == 4
    fake_slack.users_by_email = dict(WEEK5_USERS)  # David joined Slack
    await lookups.look_up_missing(now=NOW + timedelta(days=1))
    assert asked(fake_slack)[4:] == ["david@example.com"]
    assert (await slack_ids(session_maker))["david"] == "U0DAVID01"


async def test_a_new_email_in_the_team_file_is_asked_at_once(
    lookups: EmailLookups, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    fake_slack.users_by_email = dict(WEEK5_USERS)
    await lookups.look_up_missing(now=NOW)
    people = [
        p.model_copy(update={"email": "dave@example.com"}) if p.id == "david" else p for p in WEEK5.people
    ]
    eve = Person(id="eve", name="Eve", email="eve@example.com")
    await apply(session_maker, WEEK5.model_copy(update={"people": [*people, eve]}))
    fake_slack.users_by_email |= {"dave@example.com": "U0DAVID01", "eve@example.com": "U0EVE0001"}
    await lookups.look_up_missing(now=NOW + timedelta(minutes=1))
    assert asked(fake_slack)[4:] == ["dave@example.com", "eve@example.com"]
    assert (await slack_ids(session_maker))["eve"] == "U0EVE0001"


async def test_a_slack_id_in_the_file_always_wins(
    lookups: EmailLookups, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    people = [p.model_copy(update={"slack_id": "U0ALICE01"}) if p.id == "alice" else p for p in WEEK5.people]
    await apply(session_maker, WEEK5.model_copy(update={"people": people}))
    # Slack says Bob's email is Alice's account: the file gave that id to Alice, so Bob stays without.
    fake_slack.users_by_email = dict(WEEK5_USERS) | {
        "alice@example.com": "U0ELSE001",
        "bob@example.com": "U0ALICE01",
    }
    await lookups.look_up_missing(now=NOW)
    assert "alice@example.com" not in asked(fake_slack)
    found = await slack_ids(session_maker)
    assert found["alice"] == "U0ALICE01" and found["bob"] is None and found["charlie"] == "U0CHARLIE"


async def test_export_writes_the_file_without_the_ids_found(
    lookups: EmailLookups, session_maker: Sessions, fake_slack: FakeSlack
) -> None:
    fake_slack.users_by_email = dict(WEEK5_USERS)
    await lookups.look_up_missing(now=NOW)
    async with session_maker() as session:
        team = await export_team(session)
    assert team == WEEK5
    assert "slack_id" not in dump_team_file(team)


@pytest.mark.parametrize(("status", "reason"), [(500, "fatal_error"), (429, "ratelimited")])
async def test_slack_failing_is_logged_and_asked_again_next_time(
    lookups: EmailLookups,
    session_maker: Sessions,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    status: int,
    reason: str,
) -> None:
    fake_slack.users_by_email = dict(WEEK5_USERS)
    fake_slack.fail("users.lookupByEmail", status, times=3)  # the first ask and both retries
    with caplog.at_level(logging.WARNING, logger="bot.delivery.email_lookups"):
        await lookups.look_up_missing(now=NOW)
    assert len(asked(fake_slack)) == 3  # the rest were not asked into a failing Slack
    assert f"could not find people in Slack by email ({reason})" in caplog.text
    assert set((await slack_ids(session_maker)).values()) == {None}
    await lookups.look_up_missing(now=NOW + timedelta(minutes=1))
    assert await slack_ids(session_maker) == FOUND


async def test_a_missing_scope_is_logged_once_with_what_to_do(
    lookups: EmailLookups, session_maker: Sessions, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.refusals["users.lookupByEmail"] = "missing_scope"
    with caplog.at_level(logging.WARNING, logger="bot.delivery.email_lookups"):
        await lookups.look_up_missing(now=NOW)
        await lookups.look_up_missing(now=NOW + timedelta(minutes=1))
    [warning] = caplog.records
    assert "lacks the users:read.email scope" in warning.getMessage()
    assert len(asked(fake_slack)) == 2  # one per round: the scope may be added while the bot runs
    del fake_slack.refusals["users.lookupByEmail"]
    fake_slack.users_by_email = dict(WEEK5_USERS)
    await lookups.look_up_missing(now=NOW + timedelta(minutes=2))
    assert (await slack_ids(session_maker))["alice"] == "U0ALICE01"
