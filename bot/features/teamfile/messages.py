"""Pydantic's validation errors in words an admin editing a team file can act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_core import ErrorDetails

from bot.core.team import PATTERN_HINTS, UNION_TAGS
from bot.features.teamfile.nodes import Loc

MAPPING = "should be a mapping of fields (name: value lines)"
FIXED = {
    "missing": "required field is missing",
    "list_type": "should be a list (one '- ' line per item)",
    "dict_type": MAPPING,
    "model_type": MAPPING,
    "model_attributes_type": MAPPING,
    "string_too_short": "must not be empty",
    "recursion_loop": "an alias refers to itself",
}
# error type -> message from (input shown, the error's context)
WORDED: dict[str, Callable[[str, dict[str, Any]], str]] = {
    "literal_error": lambda value, ctx: f"{value} is not allowed; use {ctx['expected']}",
    "too_short": lambda _, ctx: f"needs at least {ctx['min_length']} entries, has {ctx['actual_length']}",
    "too_long": lambda _, ctx: f"allows at most {ctx['max_length']} entries, has {ctx['actual_length']}",
    "string_too_long": lambda _, ctx: f"is longer than {ctx['max_length']} characters",
    "bool_type": lambda value, _: f"{value} is not true or false",
    "bool_parsing": lambda value, _: f"{value} is not true or false",
    "int_type": lambda value, _: f"{value} is not a whole number",
    "int_parsing": lambda value, _: f"{value} is not a whole number",
    "int_from_float": lambda value, _: f"{value} is not a whole number",
    "greater_than_equal": lambda value, ctx: f"{value} is below the minimum, {ctx['ge']}",
    "less_than_equal": lambda value, ctx: f"{value} is above the maximum, {ctx['le']}",
    "string_type": lambda value, _: f"{value} is not text (put it in quotes)",
}


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def error_loc(error: ErrorDetails) -> Loc:
    """The error's place in the file, without the names pydantic gives to union branches and keys."""
    return tuple(p for p in error["loc"] if p not in UNION_TAGS and p != "[key]")


def error_message(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind in FIXED:
        return FIXED[kind]
    if kind in WORDED:
        return WORDED[kind](shown(error.get("input")), ctx)
    if kind == "extra_forbidden":
        return f"unknown field {error['loc'][-1]!r} (check the spelling; the README lists the fields)"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_HINTS:
        return f"{shown(error.get('input'))} is not {PATTERN_HINTS[ctx['pattern']]}"
    return error["msg"].removeprefix("Value error, ")
