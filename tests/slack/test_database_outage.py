"""PostgreSQL behind a proxy that freezes or dies: every command and click still gets an answer
in Slack's time that says the database is not answering, /healthz says so at once, and the log
says once that the database is gone and once that it is back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import pytest
from aiohttp import ClientTimeout
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url

from bot.context import AppContext
from bot.delivery.slack_api import make_client
from bot.features.alerts import integrations
from bot.features.teamfile.loader import load_team_file
from bot.features.teamfile.service import import_team
from bot.messages.ids import ActionId
from bot.messages.swaps import SwapButton
from bot.serve import SlackEvents, create_web_app
from bot.settings import Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from bot.slack.failures import DATABASE_DOWN
from bot.store.db import create_engine, session_factory
from tests.conftest import _postgres_database
from tests.slack.alert_intake import alertmanager
from tests.slack.conftest import ALICE, PLAIN_DAY, ROOT, SlackDriver, wait_for
from tests.slack.fakeslack import FakeSlack
from tests.slack.signing import action_body
from tests.slack.test_swap_e2e import chosen, opened_form, options, submit, view_submission
from tests.store.dbproxy import DatabaseProxy

pytestmark = pytest.mark.postgres
GONE, BACK = "the database is not answering", "the database answers again"


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    yield from _postgres_database(template=postgres_template)


@pytest.fixture
async def proxy(postgres_url: str) -> AsyncIterator[DatabaseProxy]:
    url = make_url(postgres_url)
    proxy = DatabaseProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy
    proxy.thaw()
    await proxy.kill()


@pytest.fixture
async def slack(
    proxy: DatabaseProxy, postgres_url: str, settings: Settings, fake_slack: FakeSlack
) -> AsyncIterator[SlackDriver]:
    """The real app and server on the Week 6 team, its database reached through the proxy."""
    engine = create_engine(make_url(postgres_url).set(port=proxy.port).render_as_string(hide_password=False))
    sessions = session_factory(engine)
    async with sessions() as session:
        team = load_team_file(ROOT / "examples" / "week6-team.yaml")
        await import_team(session, team=team, actor="test", source="import")
    clock: datetime = PLAIN_DAY
    ctx = AppContext(
        settings=settings, sessions=sessions, clock=lambda: clock, runbooks_dir=settings.runbooks_dir
    )
    app = create_app(ctx, client=make_client(settings), identity=LOCAL_IDENTITY)
    async with TestClient(TestServer(create_web_app(SlackEvents(app), ctx), host="127.0.0.1")) as http:
        yield SlackDriver(http, fake_slack)
    await engine.dispose()


def told(fake: FakeSlack) -> list[str]:
    return [c.args.get("text", "") for c in fake.calls if c.method.startswith("response:")]


async def outage_is_answered(slack: SlackDriver) -> None:
    """A command that reads the store, a click that writes it, and the health check."""
    answer = await slack.command("/incident", "list")
    assert answer["text"] == DATABASE_DOWN
    value = SwapButton(swap=1).model_dump_json()
    assert await slack.press(ActionId.APPROVE_SWAP.value, value) == 200
    await wait_for(lambda: DATABASE_DOWN in told(slack.fake))
    # Failing faster than Bolt polls for the acknowledgement (nothing to tell, no response_url)
    # still leaves the click acknowledged.
    quick = action_body(ActionId.APPROVE_SWAP.value, value, user_id=ALICE, response_url="")
    assert (await slack.post(quick)).status == 200
    health = await slack.http.get("/healthz", timeout=ClientTimeout(total=3))
    assert health.status == 503


@pytest.mark.parametrize("outage", ["frozen", "refused"])
async def test_every_request_is_answered_while_the_database_is_away(
    slack: SlackDriver, proxy: DatabaseProxy, outage: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.store.health")
    assert (await slack.http.get("/healthz")).status == 200
    if outage == "frozen":
        proxy.freeze()
    else:
        await proxy.kill()
    await outage_is_answered(slack)
    await outage_is_answered(slack)
    if outage == "frozen":
        proxy.thaw()
    else:
        await proxy.start()
    assert (await slack.http.get("/healthz")).status == 200
    answer = await slack.command("/incident", "list")
    assert answer["text"] != DATABASE_DOWN
    said = [r.getMessage() for r in caplog.records if r.name == "bot.store.health"]
    assert [line.split(":")[0] for line in said] == [GONE, BACK]


async def test_an_alert_sent_while_the_database_is_away_gets_503_so_the_sender_retries(
    slack: SlackDriver, proxy: DatabaseProxy, postgres_url: str
) -> None:
    engine = create_engine(postgres_url)
    async with session_factory(engine)() as session:
        issued = await integrations.add(
            session, name="prom", kind="alertmanager", pipeline=None, severity=None,
            base_url="", actor="test", source="test", at=PLAIN_DAY,
        )  # fmt: skip
    await engine.dispose()
    proxy.freeze()
    answer = await slack.http.post(issued.url, json=alertmanager(), timeout=ClientTimeout(total=5))
    assert answer.status == 503
    assert await answer.json() == {
        "status": "unavailable",
        "message": "the database is not answering; send it again",
    }
    proxy.thaw()
    assert (await slack.http.post(issued.url, json=alertmanager())).status == 202


async def test_a_form_sent_while_the_database_is_away_says_so_and_keeps_what_was_typed(
    slack: SlackDriver, proxy: DatabaseProxy
) -> None:
    view = await opened_form(slack)
    values = {
        "teammate": chosen("carol"),
        "mine": chosen(next(iter(options(view, "mine").values()))),
        "theirs": chosen("cover"),
    }
    proxy.freeze()
    answer = await submit(slack, view_submission(view, values, user=ALICE))
    first_input = next(b["block_id"] for b in view["blocks"] if b["type"] == "input")
    assert answer == {
        "response_action": "errors",
        "errors": {first_input: DATABASE_DOWN.removeprefix(":warning: ")},
    }
    proxy.thaw()
    assert await submit(slack, view_submission(view, values, user=ALICE)) == {}


@pytest.mark.parametrize(("command", "text"), [("/swap", ""), ("/oncall", "holidays 2027")])
async def test_the_swap_form_and_holiday_duty_say_the_database_is_away(
    slack: SlackDriver, proxy: DatabaseProxy, command: str, text: str
) -> None:
    proxy.freeze()
    answer = await slack.command(command, text)
    # In the acknowledgement, or (past its budget, after "Working on it…") right after it.
    await wait_for(lambda: DATABASE_DOWN in (answer["text"], *told(slack.fake)))
    assert slack.fake.of("views.open") == []
    proxy.thaw()
