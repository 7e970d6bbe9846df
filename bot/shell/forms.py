"""Filling a modal in the local shell: its inputs asked one at a time, each typed line turned into the
entry Slack puts in a view_submission's `state.values`. Pure: the shell does the asking."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.team import Person

View = dict[str, Any]
Answer = dict[str, Any]  # one input's state, e.g. {"type": "datepicker", "selected_date": "2026-12-24"}
CANCEL = "cancel"  # closes the form
CLEAR = "-"  # empties an optional input that shows a value

# Where each kind of input keeps its value in state.values, and where the view sets its first value.
STATE_KEYS = {
    "plain_text_input": "value",
    "url_text_input": "value",
    "email_text_input": "value",
    "number_input": "value",
    "static_select": "selected_option",
    "radio_buttons": "selected_option",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
}
INITIAL_KEYS = {
    "value": "initial_value",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
}


@dataclass(frozen=True)
class Field:
    block_id: str
    label: str
    element: dict[str, Any]
    optional: bool

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))

    @property
    def key(self) -> str:
        return STATE_KEYS[self.kind]


@dataclass(frozen=True)
class Filler:
    """Who fills the form: the team's people (for person pickers) and the zone times are typed in."""

    people: Sequence[Person]
    zone: str


def fields_of(view: View) -> list[Field]:
    return [
        Field(b["block_id"], b["label"]["text"], b["element"], bool(b.get("optional")))
        for b in view.get("blocks", [])
        if b.get("type") == "input"
    ]


def unsupported(fields: Sequence[Field]) -> list[str]:
    """The kinds of input this shell cannot ask for."""
    return sorted({f.kind for f in fields if f.kind not in STATE_KEYS})


def initial_answers(fields: Sequence[Field]) -> dict[str, Answer]:
    """What the form holds before anyone types: Slack submits initial values as they are."""
    return {f.block_id: {**_empty(f), **_initial(f)} for f in fields}


def _empty(field: Field) -> Answer:
    return {"type": field.kind, field.key: [] if field.key == "selected_options" else None}


def _initial(field: Field) -> Answer:
    initial = INITIAL_KEYS[field.key]
    return {field.key: field.element[initial]} if initial in field.element else {}


def state_values(fields: Sequence[Field], answers: Mapping[str, Answer]) -> dict[str, Any]:
    """`view.state.values` as Slack sends it: block id -> action id -> the input's state."""
    return {f.block_id: {f.element.get("action_id", f.block_id): answers[f.block_id]} for f in fields}


def find_person(people: Sequence[Person], typed: str) -> Person | None:
    """A person by id or name, in any case."""
    wanted = typed.strip().lower().removeprefix("@")
    return next((p for p in people if wanted in (p.id.lower(), p.name.lower())), None)


def _options(field: Field) -> list[dict[str, Any]]:
    groups = field.element.get("option_groups") or [{"options": field.element.get("options", [])}]
    return [option for group in groups for option in group["options"]]


def _option_text(option: Mapping[str, Any]) -> str:
    return str(option["text"]["text"])


def shown(field: Field, answer: Answer, filler: Filler) -> str | None:
    """The input's value as a person reads it; None when it is empty."""
    value = answer.get(field.key)
    if value in (None, "", []):
        return None
    if field.key == "selected_option":
        return _option_text(value)
    if field.key == "selected_options":
        return ", ".join(_option_text(o) for o in value)
    if field.key == "selected_user":
        return next((p.name for p in filler.people if p.slack_id == value), str(value))
    if field.key == "selected_date_time":
        local = datetime.fromtimestamp(int(value), UTC).astimezone(ZoneInfo(filler.zone))
        return f"{local:%Y-%m-%d %H:%M}"
    return str(value)


def _how(field: Field, filler: Filler) -> str:
    match field.kind:
        case "static_select" | "radio_buttons":
            return "Pick a number."
        case "checkboxes":
            return "Pick numbers, separated by spaces."
        case "users_select":
            return f"Type a person: {', '.join(p.id for p in filler.people if p.slack_id)}."
        case "datepicker":
            return "Type a date, YYYY-MM-DD."
        case "timepicker":
            return "Type a time, HH:MM."
        case "datetimepicker":
            return f"Type a date and time, YYYY-MM-DD HH:MM ({filler.zone})."
    return "Type a line."


def question(field: Field, answer: Answer, filler: Filler) -> str:
    """The label, the choices, and what to type, including what an empty line does."""
    lines = [field.label + (" (optional)" if field.optional else "")]
    lines += [f"  {n}. {_option_text(o)}" for n, o in enumerate(_options(field), 1)]
    how = _how(field, filler)
    now = shown(field, answer, filler)
    if now is not None:
        how += f" Now: {now}. An empty line keeps it" + ("; `-` empties it." if field.optional else ".")
    elif field.optional:
        how += " An empty line leaves it empty."
    return "\n".join([*lines, "  " + how])


class Unreadable(ValueError):
    """A typed line that does not fit the input; its message says what would."""


def _text(field: Field, line: str, filler: Filler) -> str:
    limit, least = field.element.get("max_length"), field.element.get("min_length")
    if limit is not None and len(line) > limit:
        raise Unreadable(f"At most {limit} characters, please (that was {len(line)}).")
    if least is not None and len(line) < least:
        raise Unreadable(f"At least {least} characters, please.")
    return line


def _picked(field: Field, line: str, filler: Filler) -> list[dict[str, Any]]:
    """Options by number (several separated by spaces or commas), or one by its exact text."""
    options = _options(field)
    by_text = [o for o in options if _option_text(o).lower() == line.lower()]
    words = re.split(r"[\s,]+", line)
    if by_text:
        return by_text[:1]
    if not all(w.isdigit() and 1 <= int(w) <= len(options) for w in words):
        raise Unreadable(f"Pick by number, from 1 to {len(options)}.")
    return [options[int(w) - 1] for w in dict.fromkeys(words)]


def _choice(field: Field, line: str, filler: Filler) -> dict[str, Any]:
    picked = _picked(field, line, filler)
    if len(picked) > 1:
        raise Unreadable("Pick one number only.")
    return picked[0]


def _user(field: Field, line: str, filler: Filler) -> str:
    person = find_person(filler.people, line)
    if person is None or not person.slack_id:
        raise Unreadable(f"No one called {line!r} in the team. {_how(field, filler)}")
    return person.slack_id


def _date(field: Field, line: str, filler: Filler) -> str:
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", line):
            return date.fromisoformat(line).isoformat()
    except ValueError:
        pass
    raise Unreadable(f"Not a date: {line!r}. {_how(field, filler)}")


def _time(field: Field, line: str, filler: Filler) -> str:
    try:
        if re.fullmatch(r"\d\d?:\d\d", line):
            return f"{time.fromisoformat(line.zfill(5)):%H:%M}"
    except ValueError:
        pass
    raise Unreadable(f"Not a time: {line!r}. {_how(field, filler)}")


def _date_time(field: Field, line: str, filler: Filler) -> int:
    day, _, hour = line.partition(" ")
    try:
        local = datetime.combine(
            date.fromisoformat(_date(field, day, filler)),
            time.fromisoformat(_time(field, hour.strip(), filler)),
            ZoneInfo(filler.zone),
        )
    except Unreadable:
        raise Unreadable(f"Not a date and time: {line!r}. {_how(field, filler)}") from None
    return int(local.timestamp())


READERS: dict[str, Callable[[Field, str, Filler], Any]] = {
    "static_select": _choice,
    "radio_buttons": _choice,
    "checkboxes": _picked,
    "users_select": _user,
    "datepicker": _date,
    "timepicker": _time,
    "datetimepicker": _date_time,
}


def read_answer(field: Field, line: str, answer: Answer, filler: Filler) -> Answer | str:
    """The input's new state from one typed line, or what is wrong with the line."""
    line = line.strip()
    if not line:
        if field.optional or shown(field, answer, filler) is not None:
            return answer
        return f"This field is required. {_how(field, filler)} `{CANCEL}` closes the form."
    if line == CLEAR and field.optional:
        return _empty(field)
    try:
        return {"type": field.kind, field.key: READERS.get(field.kind, _text)(field, line, filler)}
    except Unreadable as error:
        return str(error)
