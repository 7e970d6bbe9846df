"""The Web API client reaches SLACK_API_URL and retries rate limits and server errors, with growing waits."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.context import AppContext
from bot.delivery.slack_api import Backoff, ServerErrorRetryHandler, make_client, refusal_hint
from bot.serve import identify
from bot.settings import MissingSetting, Settings
from bot.slack.app import LOCAL_IDENTITY, create_app
from tests.slack.fakeslack import DROP, FakeSlack, record_rate_limit_waits


async def test_calls_reach_the_configured_url(settings: Settings, fake_slack: FakeSlack) -> None:
    client = make_client(settings, token="xoxb-test")
    await client.chat_postMessage(channel="C1", text="hello")
    [call] = fake_slack.calls
    assert call.method == "chat.postMessage" and call.args["text"] == "hello"
    assert call.headers["Authorization"] == "Bearer xoxb-test"


async def test_rate_limit_waits_as_long_as_slack_asks(
    settings: Settings, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = record_rate_limit_waits(monkeypatch)
    fake_slack.retry_after = 3
    fake_slack.fail("chat.postMessage", 429)
    answer = await make_client(settings, token="x").chat_postMessage(channel="C1", text="hi")
    assert answer["ok"] and len(fake_slack.of("chat.postMessage")) == 2
    [wait] = waits
    assert 3 <= wait < 4  # Retry-After, and up to a second more so replicas do not retry in step


async def test_a_dropped_connection_is_retried(settings: Settings, fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", DROP)
    answer = await make_client(settings, token="x").chat_postMessage(channel="C1", text="hi")
    assert answer["ok"] and len(fake_slack.of("chat.postMessage")) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_retried(settings: Settings, fake_slack: FakeSlack, status: int) -> None:
    fake_slack.fail("chat.postMessage", status)
    answer = await make_client(settings, token="x").chat_postMessage(channel="C1", text="hi")
    assert answer["ok"] and len(fake_slack.of("chat.postMessage")) == 2


async def test_a_server_down_for_good_is_tried_three_times(settings: Settings, fake_slack: FakeSlack) -> None:
    fake_slack.fail("users.info", 500, times=5)
    with pytest.raises(SlackApiError):
        await make_client(settings, token="x").users_info(user="U1")
    assert len(fake_slack.of("users.info")) == 3


def test_the_wait_doubles_and_is_spread() -> None:
    backoff = Backoff(first=1)
    waits = [[backoff.calculate_sleep_duration(attempt) for attempt in range(3)] for _ in range(50)]
    for first, second, third in waits:
        assert 1 <= first <= 1.5 and 2 <= second <= 3 and 4 <= third <= 6
    assert len({w[0] for w in waits}) > 1  # replicas failing together do not retry in step


def test_the_first_wait_is_a_setting(settings: Settings) -> None:
    slow = settings.model_copy(update={"slack_retry_seconds": 4.0})
    handlers = make_client(slow).retry_handlers
    [server_errors] = [h for h in handlers if isinstance(h, ServerErrorRetryHandler)]
    assert isinstance(server_errors.interval_calculator, Backoff)
    assert server_errors.interval_calculator.first == 4.0


async def test_identity_comes_from_one_auth_test(settings: Settings, fake_slack: FakeSlack) -> None:
    identity = await identify(settings)
    assert identity.bot_user_id == "U0ONCALLBOT" and len(fake_slack.of("auth.test")) == 1


@pytest.mark.parametrize(
    ("error", "says"),
    [
        ("not_in_channel", "invite the bot to #data-oncall"),
        ("channel_not_found", "check that #data-oncall exists"),
        ("is_archived", "#data-oncall is archived"),
        ("invalid_auth", "SLACK_BOT_TOKEN"),
        ("account_inactive", "SLACK_BOT_TOKEN"),
    ],
)
def test_refusals_no_retry_changes_say_what_to_do(error: str, says: str) -> None:
    hint = refusal_hint(error, "#data-oncall")
    assert hint is not None and says in hint


@pytest.mark.parametrize("error", ["ratelimited", "fatal_error", "internal_error"])
def test_other_failures_are_worth_trying_again(error: str) -> None:
    assert refusal_hint(error, "#data-oncall") is None


@pytest.mark.parametrize("token", [None, "xoxb-your-bot-token", "", "changeme"])
def test_missing_or_placeholder_token_is_named(
    ctx: AppContext, settings: Settings, token: str | None
) -> None:
    bad = ctx.settings.model_copy(
        update={"slack_bot_token": None if token is None else settings.slack_bot_token.__class__(token)}
    )
    with pytest.raises(MissingSetting, match="SLACK_BOT_TOKEN"):
        create_app(
            AppContext(bad, ctx.sessions, ctx.clock, ctx.runbooks_dir),
            client=make_client(bad),
            identity=LOCAL_IDENTITY,
        )


def test_missing_signing_secret_is_named_in_http_mode(ctx: AppContext) -> None:
    bad = ctx.settings.model_copy(update={"slack_signing_secret": None})
    with pytest.raises(MissingSetting, match="SLACK_SIGNING_SECRET"):
        create_app(
            AppContext(bad, ctx.sessions, ctx.clock, ctx.runbooks_dir),
            client=make_client(bad),
            identity=LOCAL_IDENTITY,
        )


async def test_unreachable_slack_is_a_clear_start_up_failure(settings: Settings) -> None:
    from bot.serve import SlackUnreachable

    offline = settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    with pytest.raises(SlackUnreachable, match=r"cannot reach http://127\.0\.0\.1:9/api/"):
        await identify(offline)
