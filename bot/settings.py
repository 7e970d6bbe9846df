"""Settings, read once at start-up from the environment and `.env`, then passed down."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.shipped_files import example_team_file, runbooks_beside

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///oncall.db"
CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$")
PLACEHOLDER_MARKERS = ("changeme", "change-me", "replace-me", "your-", "xxxx", "...")


class MissingSetting(Exception):
    """A setting needed for what was asked is missing or still a placeholder."""

    def __init__(self, name: str, hint: str) -> None:
        super().__init__(f"{name} is not set: {hint}")
        self.name = name


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return not lowered or any(marker in lowered for marker in PLACEHOLDER_MARKERS)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    port: int = Field(default=3000, ge=1, le=65535)
    public_url: str = "http://localhost:3000"
    # The team file the shell starts from on an empty store: the packaged Week 6 example by default.
    team_file: Path = Field(default_factory=example_team_file)
    # Where runbooks are read from: the `runbooks` folder beside the team file unless set.
    runbooks_dir: Path = Field(default_factory=lambda data: runbooks_beside(data["team_file"]))
    log_level: str = "INFO"
    # text: one readable line each; json: one JSON object a line, with the request or job it is for.
    log_format: Literal["text", "json"] = "text"
    # The first wait before a Slack call that failed with a server error is tried again; it doubles.
    slack_retry_seconds: float = Field(default=1, ge=0, le=60)
    # A scheduled post missed while the bot was down is still sent this long after its time.
    post_grace_hours: float = Field(default=6, ge=0, le=168)
    # The month-end checklist starts this many business days before the end of the month.
    month_end_business_days: int = Field(default=5, ge=1, le=15)
    # Where incident threads go; the first rotation's channel when empty.
    incidents_channel: str | None = None
    # An unacknowledged incident calls its next escalation level after this many minutes.
    escalation_minutes_sev1: int = Field(default=5, ge=1, le=1440)
    escalation_minutes_sev2: int = Field(default=15, ge=1, le=1440)
    escalation_minutes_sev3: int = Field(default=60, ge=1, le=1440)
    # Requests one integration may send per process before it is answered 429 with Retry-After,
    # e.g. 600/minute or 20/second. The default is not checked: that would cost every command the
    # import of `limits`, which is slow.
    alert_rate_limit: str = Field(default="600/minute", validate_default=False)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the plain URLs people paste and pick the async driver the app runs on."""
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                return driver + value[len(plain) :]
        return value

    @field_validator("alert_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse as parse_limit  # only here: slow to import, needed once set

        try:
            parse_limit(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate: write a count per unit, like 600/minute") from None
        return value

    @field_validator("incidents_channel", mode="before")
    @classmethod
    def _channel(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # `INCIDENTS_CHANNEL=` as in .env.example
        if isinstance(value, str) and not CHANNEL.match(value.strip()):
            raise ValueError(f"{value!r} is not a channel: use #name or a channel id such as C0123ABCD")
        return value.strip() if isinstance(value, str) else value

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None and not is_placeholder(
            self.slack_app_token.get_secret_value()
        )

    def runbooks_for(self, team_file: Path) -> Path:
        """The runbooks of `team_file`: RUNBOOKS_DIR when it is set, else those beside the file."""
        return self.runbooks_dir if "runbooks_dir" in self.model_fields_set else runbooks_beside(team_file)

    def require(self, name: str) -> str:
        """The value of a secret setting, or MissingSetting naming it and what to do."""
        value: SecretStr | None = getattr(self, name)
        if value is None or is_placeholder(value.get_secret_value()):
            raise MissingSetting(name.upper(), HINTS[name])
        return value.get_secret_value()


HINTS = {
    "slack_bot_token": "copy the Bot User OAuth Token (xoxb-…) from your Slack app's 'OAuth & Permissions' "
    "page into SLACK_BOT_TOKEN in .env",
    "slack_signing_secret": "copy the Signing Secret from your Slack app's 'Basic Information' page into "
    "SLACK_SIGNING_SECRET in .env",
    "slack_app_token": "create an app-level token with the connections:write scope on 'Basic Information' "
    "and put it (xapp-…) in SLACK_APP_TOKEN, or leave it empty to receive events over HTTP",
}
