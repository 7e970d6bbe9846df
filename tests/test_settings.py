"""Settings: plain URLs get the async driver, and a missing or placeholder secret is named."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.settings import DEFAULT_DATABASE_URL, MissingSetting, Settings


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "SLACK_APP_TOKEN", "PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = make()
    assert settings.database_url == DEFAULT_DATABASE_URL and settings.port == 3000
    assert not settings.socket_mode


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db:5432/oncall", "postgresql+asyncpg://u:p@db:5432/oncall"),
        ("postgres://u@db/oncall", "postgresql+asyncpg://u@db/oncall"),
        ("sqlite:///data/oncall.db", "sqlite+aiosqlite:///data/oncall.db"),
        ("postgresql+asyncpg://u@db/oncall", "postgresql+asyncpg://u@db/oncall"),
    ],
)
def test_database_url_gets_the_async_driver(given: str, used: str) -> None:
    assert make(database_url=given).database_url == used


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A0-real")
    monkeypatch.setenv("PORT", "8080")
    settings = make()
    assert settings.socket_mode and settings.port == 8080


@pytest.mark.parametrize("value", [None, "", "xoxb-your-bot-token", "changeme", "xoxb-..."])
def test_missing_or_placeholder_secret_is_named_with_what_to_do(value: str | None) -> None:
    settings = make(slack_bot_token=None if value is None else SecretStr(value))
    with pytest.raises(MissingSetting) as error:
        settings.require("slack_bot_token")
    assert error.value.name == "SLACK_BOT_TOKEN"
    assert "OAuth & Permissions" in str(error.value)


def test_a_real_secret_is_returned() -> None:
    assert (
        make(slack_signing_secret=SecretStr("8f14e45fceea167a5a36dedd4bea2543")).require(
            "slack_signing_secret"
        )
        == "8f14e45fceea167a5a36dedd4bea2543"
    )


def test_a_placeholder_app_token_means_http_mode() -> None:
    assert not make(slack_app_token=SecretStr("xapp-your-app-token")).socket_mode


def test_a_bad_port_is_rejected() -> None:
    with pytest.raises(ValueError, match="port"):
        make(port=70000)


@pytest.mark.parametrize(
    "value", [Settings.model_fields["alert_rate_limit"].default, "20 per second", "1/2 hours"]
)
def test_a_rate_limit_is_a_count_per_unit(value: str) -> None:
    assert make(alert_rate_limit=value).alert_rate_limit == value


def test_a_bad_rate_limit_is_rejected_with_what_to_write(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALERT_RATE_LIMIT", "lots")
    with pytest.raises(ValueError, match="'lots' is not a rate: write a count per unit, like 600/minute"):
        make()
