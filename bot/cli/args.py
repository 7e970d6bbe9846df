"""Parsing of command-line values into typed ones, with messages that say what was expected."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeAlias
from zoneinfo import ZoneInfo

# What each command module adds its sub-commands to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-14") from None


def iso_instant(text: str) -> datetime:
    """An ISO-8601 date or date-time; without an offset it is read later in the team's time zone."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 time like 2026-12-14T09:00 or 2026-12-14T09:00-05:00"
        ) from None


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high})")
        return value

    return parse


def in_zone(value: datetime, zone: str) -> datetime:
    """An aware datetime: naive input is read on the wall clock of `zone`."""
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(zone))
