"""The real app behind its real HTTP server, a fake Slack Web API, and the Week 6 team in SQLite."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.serve import SlackEvents, create_web_app
from bot.settings import Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from bot.store.db import create_engine, session_factory
from tests.slack.blocks_check import assert_valid_text
from tests.slack.fakeslack import FakeSlack
from tests.slack.signing import SECRET, action_body, command_body, event_body, signed_headers

ROOT = Path(__file__).resolve().parents[2]
NY = ZoneInfo("America/New_York")
# A plain week: Alice primary, Bob backup (Monday 2026-12-07 09:00 to 2026-12-14 09:00).
PLAIN_DAY = datetime(2026, 12, 8, 12, tzinfo=NY)
ALICE, BOB, CAROL, DAVID = "U0ALICE01", "U0BOB0001", "U0CAROL01", "U0DAVID01"


@pytest.fixture
def settings(fake_slack: FakeSlack, migrated_sqlite_url: str, tmp_path: Path) -> Settings:
    runbooks = shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")  # tests may break their copy
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.url,
        database_url=migrated_sqlite_url,
        public_url="https://oncall.example.com",
        runbooks_dir=runbooks,
    )


@pytest.fixture
def now() -> datetime:
    return PLAIN_DAY


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database_url)
    maker = session_factory(engine)
    async with maker() as session:
        team = load_team_file(ROOT / "examples" / "week6-team.yaml")
        await import_team(session, team=team, actor="test", source="import")
    try:
        yield maker
    finally:
        await engine.dispose()


@pytest.fixture
def ctx(settings: Settings, sessions: async_sessionmaker[AsyncSession], now: datetime) -> AppContext:
    return AppContext(
        settings=settings, sessions=sessions, clock=lambda: now, runbooks_dir=settings.runbooks_dir
    )


async def wait_for(check: Callable[[], bool]) -> None:
    """Listeners finish after the acknowledgement: poll (briefly) until what they send has arrived."""
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the app did not send what was expected")


@dataclass
class SlackDriver:
    """Posts to the running app exactly as Slack would."""

    http: TestClient
    fake: FakeSlack

    async def post(self, body: str, headers: dict[str, str] | None = None) -> Any:
        return await self.http.post(
            "/slack/events", data=body, headers=signed_headers(body) if headers is None else headers
        )

    async def command(self, command: str, text: str = "", *, user: str = ALICE) -> dict[str, Any]:
        body = command_body(command, text, user_id=user, response_url=self.fake.response_url())
        response = await self.post(body)
        assert response.status == 200, await response.text()
        answer = await response.json() if response.content_type == "application/json" else {}
        assert_valid_text(answer.get("text", ""))
        return answer  # type: ignore[no-any-return]

    async def press(self, action_id: str, value: str, *, user: str = ALICE) -> int:
        body = action_body(action_id, value, user_id=user, response_url=self.fake.response_url("action"))
        response = await self.post(body)
        return response.status

    async def app_home(self, user: str) -> list[dict[str, Any]]:
        """The blocks of the App Home the app publishes when `user` opens it."""
        published = len(self.fake.of("views.publish"))
        body = event_body({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D0HOME"})
        response = await self.post(body, {**signed_headers(body), "Content-Type": "application/json"})
        assert response.status == 200
        await wait_for(lambda: len(self.fake.of("views.publish")) > published)
        call = self.fake.of("views.publish")[-1]
        assert call.args["user_id"] == user
        view = call.args["view"]
        return (json.loads(view) if isinstance(view, str) else view)["blocks"]  # type: ignore[no-any-return]


@pytest.fixture
async def slack(ctx: AppContext, fake_slack: FakeSlack, settings: Settings) -> AsyncIterator[SlackDriver]:
    app = create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY)
    server = TestServer(create_web_app(SlackEvents(app), ctx), host="127.0.0.1")
    async with TestClient(server) as http:
        yield SlackDriver(http, fake_slack)
        # Listeners go on after their acknowledgement: let the last ones finish while the store is
        # open (not the HTTP connections kept alive, which only end with the servers).
        listening = [
            t
            for t in asyncio.all_tasks()
            if t is not asyncio.current_task() and "RequestHandler" not in t.get_coro().__qualname__
        ]
        if listening:
            await asyncio.wait(listening, timeout=5)
