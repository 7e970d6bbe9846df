"""The team file: the whole on-call configuration of a team as one YAML document (config as code).

The models reject unknown fields so that a typo is an error, not a silently ignored line. Checks that
span sections (an owner who is not in ``people``) live in ``bot.teamfile.validate``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]
PersonId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
PipelineKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


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
    date: dt.date
    name: Annotated[str, Field(min_length=1, max_length=100)]


class HolidaySettings(Strict):
    country: Annotated[str, Field(min_length=2, max_length=3)] = "US"
    subdivision: str | None = None
    extra: list[CompanyHoliday] = []
    pinned: dict[dt.date, PersonId] = {}


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
    slack: str | None = Field(default=None, pattern=r"^[SCUWG][A-Z0-9]{2,}$")


class Pipeline(Strict):
    key: PipelineKey
    name: Annotated[str, Field(min_length=1, max_length=100)]
    area: Annotated[str, Field(min_length=1, max_length=50)]
    investor_facing: bool = False
    primary: PersonId
    secondary: PersonId
    runbook: str | None = None
    aliases: list[Annotated[str, Field(min_length=1, max_length=100)]] = []
    # a person id from ``people`` or a contact outside the team
    escalation: list[PersonId | EscalationContact] = []

    @field_validator("runbook")
    @classmethod
    def _runbook_inside_folder(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.md$", value):
            raise ValueError(f"{value!r} must be a plain .md file name inside runbooks/")
        return value


class Handoff(Strict):
    weekday: Weekday = "monday"
    time: dt.time = dt.time(9, 0)

    @field_validator("weekday", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("time", mode="before")
    @classmethod
    def _quoted_time(cls, value: object) -> object:
        # YAML reads an unquoted 09:00 as the number 540 (base 60); refuse rather than guess.
        if isinstance(value, int):
            raise ValueError('write the time in quotes, like "09:00"')
        return value

    @property
    def weekday_number(self) -> int:
        return WEEKDAYS.index(self.weekday)


class BackupPair(Strict):
    primary: PersonId
    backup: PersonId


class RotationConfig(Strict):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
    channel: Annotated[str, Field(pattern=r"^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$")]
    members: Annotated[list[PersonId], Field(min_length=2)]
    backup: Literal["next"] | list[BackupPair] = "next"
    unit: Literal["weekly", "daily"] = "weekly"
    length: Annotated[int, Field(ge=1, le=52)] = 1
    handoff: Handoff = Handoff()
    timezone: str | None = None  # the team's zone when absent
    start: dt.date
    user_group: str | None = Field(default=None, pattern=r"^S[A-Z0-9]{2,}$")

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
