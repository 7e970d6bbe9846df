"""The team file: the whole on-call configuration of a team as one YAML document (config as code).

The models reject unknown fields so that a typo is an error, not a silently ignored line. Checks that
span sections (an owner who is not in ``people``) live in ``bot.features.teamfile.validate``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    field_validator,
)

from bot.core.runbooks.parse import is_runbook_name
from bot.core.schedule.model import DEFAULT_BIG_DAYS

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

PERSON_ID = r"^[a-z0-9][a-z0-9_.-]*$"
KEY = r"^[a-z0-9][a-z0-9_-]*$"
CHANNEL = r"^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$"
SLACK_TARGET = r"^[SCUWG][A-Z0-9]{2,}$"
USER_GROUP = r"^S[A-Z0-9]{2,}$"
# What each pattern asks for, in words, so a mismatch reads as advice rather than a regular expression.
PATTERN_HINTS = {
    PERSON_ID: "an id of lowercase letters, digits, '-', '_' or '.' (like alice)",
    KEY: "a key of lowercase letters, digits, '-' or '_' (like growth-daily)",
    CHANNEL: "a channel: #name in lowercase, or a channel id like C0123ABCD",
    SLACK_TARGET: "a Slack user group (S…), channel (C…) or user (U…) id",
    USER_GROUP: "a Slack user group id like S0123ABCD",
}
# Names of the branches of the unions below; they show in error locations and are left out of paths.
UNION_TAGS = frozenset({"<person>", "<contact>", "<next>", "<pairs>"})

PersonId = Annotated[str, Field(pattern=PERSON_ID, max_length=64)]
PipelineKey = Annotated[str, Field(pattern=KEY, max_length=64)]


def _date_text(value: object) -> object:
    # A strict YYYY-MM-DD: pydantic alone would also take a number as a Unix timestamp.
    if isinstance(value, dt.date):
        return value
    hint = "write the date as YYYY-MM-DD, like 2026-01-05"
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"{value!r} is not a date ({hint})")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date: {error} ({hint})") from None


def _clock_text(value: object) -> object:
    # Minutes only, so that dumping as "HH:MM" loses nothing.
    hint = 'write the time in quotes, like "09:00"'
    if isinstance(value, dt.time):
        if value.second or value.microsecond or value.tzinfo:
            raise ValueError(f"{value} has seconds or a zone; handoff times are in whole minutes")
        return value
    if isinstance(value, int):
        # YAML reads an unquoted 10:30 as the number 630 (base 60); refuse rather than guess.
        raise ValueError(hint)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{value!r} is not a time of day as HH:MM ({hint})")
    return dt.time(int(match[1]), int(match[2]))


Day = Annotated[dt.date, BeforeValidator(_date_text)]
Clock = Annotated[dt.time, BeforeValidator(_clock_text)]


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    # Reading the zone database walks the disk: once per process is enough.
    return frozenset(available_timezones())


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/London)") from None
    if name not in known_timezones() and name != "UTC":
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/London)")
    return name


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CompanyHoliday(Strict):
    date: Day
    name: Annotated[str, Field(min_length=1, max_length=100)]


BigDayName = Annotated[str, Field(min_length=1, max_length=100)]
BigDayWeight = Annotated[int, Field(ge=1, le=10)]


class HolidaySettings(Strict):
    country: Annotated[str, Field(min_length=2, max_length=3)] = "US"
    subdivision: str | None = None
    extra: list[CompanyHoliday] = []
    pinned: dict[Day, PersonId] = {}
    # The holidays spread evenly over the years, by name, with their weight in that spread.
    big_days: dict[BigDayName, BigDayWeight] = dict(DEFAULT_BIG_DAYS)

    @field_validator("country", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


class Person(Strict):
    id: PersonId
    name: Annotated[str, Field(min_length=1, max_length=100)]
    slack_id: str | None = None
    email: str | None = None
    timezone: str | None = None
    admin: bool = False

    @field_validator("slack_id")
    @classmethod
    def _slack_id(cls, value: str | None) -> str | None:
        if value is not None and not SLACK_USER_ID.match(value):
            raise ValueError(f"{value!r} is not a Slack user id (it looks like U0123ABCD)")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return None if value is None else check_timezone(value)


class EscalationContact(Strict):
    """Someone to call beyond the owners: a team, with a Slack user group, channel or user to mention."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    slack: str | None = Field(default=None, pattern=SLACK_TARGET)


def _escalation_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<person>"
    return "<contact>" if isinstance(value, dict | EscalationContact) else None


# A person id from ``people``, or a contact outside the team.
Escalation = Annotated[
    Annotated[PersonId, Tag("<person>")] | Annotated[EscalationContact, Tag("<contact>")],
    Discriminator(
        _escalation_kind,
        custom_error_type="escalation",
        custom_error_message="write a person id, or a contact like {name: Infrastructure, slack: S0INFRA01}",
    ),
]


def _duration_text(value: object) -> object:
    if isinstance(value, dt.timedelta):
        return value
    match = re.fullmatch(r"(\d{1,4})\s*(m|min|h)", value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a duration: write minutes or hours, like 30m or 2h")
    return dt.timedelta(minutes=int(match[1]) * (60 if match[2] == "h" else 1))


def _minutes(value: dt.timedelta) -> str:
    return f"{int(value.total_seconds() // 60)}m"


Duration = Annotated[dt.timedelta, BeforeValidator(_duration_text), PlainSerializer(_minutes)]
ClockText = Annotated[Clock, PlainSerializer(lambda t: t.strftime("%H:%M"), when_used="json")]


class Heartbeat(Strict):
    """When the pipeline's job must have reported (POST to its heartbeat URL): `every` day, hour or
    week `by` a wall time in the team's zone (for hourly, its minutes past each hour), only on
    business days of the holiday calendar with `business_days`, late once `grace` has passed too."""

    every: Literal["hourly", "daily", "weekly"] = "daily"
    by: ClockText = dt.time(6, 0)
    weekday: Weekday = "monday"  # weekly only
    business_days: bool = False
    grace: Duration = dt.timedelta(minutes=30)


class Pipeline(Strict):
    key: PipelineKey
    name: Annotated[str, Field(min_length=1, max_length=100)]
    area: Annotated[str, Field(min_length=1, max_length=50)]
    investor_facing: bool = False
    primary: PersonId
    secondary: PersonId
    runbook: str | None = None
    aliases: list[Annotated[str, Field(min_length=1, max_length=100)]] = []
    escalation: list[Escalation] = []
    heartbeat: Heartbeat | None = None

    @field_validator("runbook")
    @classmethod
    def _runbook_inside_folder(cls, value: str | None) -> str | None:
        if value is not None and not is_runbook_name(value):
            raise ValueError(f"{value!r} must be a plain .md file name inside runbooks/")
        return value


class Handoff(Strict):
    weekday: Weekday = "monday"
    time: Clock = dt.time(9, 0)

    @field_validator("weekday", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def weekday_number(self) -> int:
        return WEEKDAYS.index(self.weekday)


class BackupPair(Strict):
    primary: PersonId
    backup: PersonId


def _backup_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<next>"
    return "<pairs>" if isinstance(value, list) else None


# "next" (the next member in order), or explicit pairs.
Backup = Annotated[
    Annotated[Literal["next"], Tag("<next>")] | Annotated[list[BackupPair], Tag("<pairs>")],
    Discriminator(
        _backup_kind,
        custom_error_type="backup",
        custom_error_message="write next, or a list of pairs like {primary: alice, backup: bob}",
    ),
]


class RotationConfig(Strict):
    name: Annotated[str, Field(pattern=KEY, max_length=64)]
    channel: Annotated[str, Field(pattern=CHANNEL)]
    members: Annotated[list[PersonId], Field(min_length=2)]
    backup: Backup = "next"
    unit: Literal["weekly", "daily"] = "weekly"
    length: Annotated[int, Field(ge=1, le=52)] = 1
    handoff: Handoff = Handoff()
    timezone: str | None = None  # the team's zone when absent
    start: Day
    user_group: str | None = Field(default=None, pattern=USER_GROUP)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return None if value is None else check_timezone(value)


class TeamFile(Strict):
    timezone: str = "UTC"
    holidays: HolidaySettings = HolidaySettings()
    people: list[Person]
    pipelines: list[Pipeline] = []
    rotations: list[RotationConfig] = []

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)
