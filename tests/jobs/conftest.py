"""The Week 6 team in a migrated store, a fake Slack, and rituals built on an injected clock."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.features.oncall.views import TeamViews
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.jobs.scheduler import Rituals
from bot.settings import Settings
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
WEEK6 = load_team_file(ROOT / "examples" / "week6-team.yaml")
Sessions = async_sessionmaker[AsyncSession]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def runbooks(tmp_path: Path) -> Path:
    """A copy of the runbooks that a test may break."""
    return shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")


@pytest.fixture
async def team(session_maker: Sessions) -> Sessions:
    async with session_maker() as session:
        await import_team(session, team=WEEK6, actor="t", source="cli")
    return session_maker


RitualsFor = Callable[..., Rituals]


@pytest.fixture
def rituals_for(team: Sessions, fake_slack: FakeSlack, runbooks: Path) -> RitualsFor:
    """Rituals on `clock` as `serve` builds them, on the test's store or the `sessions` given."""
    settings = Settings(_env_file=None, slack_api_url=fake_slack.url)  # type: ignore[call-arg]

    def make(clock: Clock, sessions: Sessions = team) -> Rituals:
        # Without the one-second reuse of the team, each run sees what the test just wrote.
        ctx = AppContext(settings, sessions, clock, runbooks, TeamViews(recheck=0))
        return Rituals(ctx, make_client(settings, token="xoxb-test"), grace=timedelta(hours=6))

    return make
