"""The `/swap` form: built from people's upcoming shifts, and read back when it is submitted.

Options are plain text (a modal cannot show Slack's date tokens), so times are written in the
reader's own zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.swap_plan import Duty, Span
from bot.core.team import Person
from bot.messages.common import plain, section
from bot.messages.ids import ActionId

COVER = "cover"
OPTION_LIMIT = 100
OPTION_TEXT_LIMIT = 75
REASON_LIMIT = 200


@dataclass(frozen=True)
class SwapForm:
    teammate: str
    rotation: str
    mine: Span
    theirs: tuple[str, Span] | None  # (whose, when); None: cover only
    part: tuple[datetime | None, datetime | None]  # only this part of my shift
    reason: str


def _label(duty: Duty, zone: str) -> str:
    tz = ZoneInfo(zone)
    start, end = (t.astimezone(tz).strftime("%a %d %b %H:%M") for t in (duty.span.start, duty.span.end))
    return f"{start} → {end} · {'/'.join(r.value for r in duty.roles)}"


def _encode(duty: Duty) -> str:
    return (
        f"{duty.person}|{duty.rotation}|{int(duty.span.start.timestamp())}|{int(duty.span.end.timestamp())}"
    )


def _decode(value: str) -> Duty | None:
    try:
        person, rotation, start, end = value.split("|")
        span = Span(datetime.fromtimestamp(int(start), UTC), datetime.fromtimestamp(int(end), UTC))
    except ValueError:
        return None
    return Duty(rotation, person, span, ())


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, OPTION_TEXT_LIMIT), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    block = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element}
    return {**block, "optional": True} if optional else block


def _select(options: list[dict[str, Any]], placeholder: str, block_id: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": block_id,
        "placeholder": plain(placeholder, 150),
        "options": options[:OPTION_LIMIT],
    }


def swap_modal(
    *,
    mine: Sequence[Duty],
    theirs: Sequence[Duty],
    teammates: Sequence[Person],
    zone: str,
    chosen: str | None = None,
) -> dict[str, Any]:
    """The form; `theirs` holds the upcoming shifts of the teammate `chosen`, or of every teammate
    until one is picked (picking one sends an action, and the form comes back with only theirs)."""
    names = {p.id: p.name for p in teammates}
    people = [_option(p.name, p.id) for p in teammates]
    teammate = _select(people, "Who takes it", "teammate")
    if chosen is not None:
        teammate["initial_option"] = next((o for o in people if o["value"] == chosen), None)
        if teammate["initial_option"] is None:
            del teammate["initial_option"]
    my_shifts = [_option(_label(d, zone), _encode(d)) for d in mine]
    their_shifts = [_option("Cover only: they take my shift", COVER)] + [
        _option(f"{names.get(d.person, d.person)} · {_label(d, zone)}", _encode(d)) for d in theirs
    ]
    picker = {"type": "datetimepicker"}
    return {
        "type": "modal",
        "callback_id": ActionId.SWAP_VIEW.value,
        "title": plain("Swap a shift", 24),
        "submit": plain("Ask them", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            section(f"Times are in your time zone ({zone}). They get Approve / Decline buttons."),
            {**_input("teammate", "Teammate", teammate), "dispatch_action": True},
            _input("mine", "My shift", _select(my_shifts, "One of my upcoming shifts", "mine")),
            _input(
                "theirs", "In exchange", _select(their_shifts, "One of their shifts, or cover only", "theirs")
            ),
            _input(
                "part_from",
                "Only part of my shift: from",
                {**picker, "action_id": "part_from"},
                optional=True,
            ),
            _input(
                "part_until",
                "Only part of my shift: until",
                {**picker, "action_id": "part_until"},
                optional=True,
            ),
            _input(
                "reason",
                "Reason",
                {"type": "plain_text_input", "action_id": "reason", "max_length": REASON_LIMIT},
                optional=True,
            ),
        ],
    }


def _value(values: Mapping[str, Any], block_id: str) -> dict[str, Any]:
    return dict(values.get(block_id, {}).get(block_id, {}) or {})


def _chosen(values: Mapping[str, Any], block_id: str) -> str | None:
    return (_value(values, block_id).get("selected_option") or {}).get("value")


def _instant(values: Mapping[str, Any], block_id: str) -> datetime | None:
    stamp = _value(values, block_id).get("selected_date_time")
    return datetime.fromtimestamp(int(stamp), UTC) if stamp else None


def read_form(values: Mapping[str, Any]) -> SwapForm | dict[str, str]:
    """The submitted form, or the error to show next to each input that is wrong."""
    errors: dict[str, str] = {}
    teammate = _chosen(values, "teammate")
    mine = _decode(_chosen(values, "mine") or "")
    theirs_value = _chosen(values, "theirs")
    theirs = None if theirs_value == COVER else _decode(theirs_value or "")
    if not teammate:
        errors["teammate"] = "Pick who takes the shift."
    if mine is None:
        errors["mine"] = "Pick one of your shifts."
    if theirs_value != COVER and theirs is None:
        errors["theirs"] = "Pick one of their shifts, or cover only."
    elif theirs is not None and teammate and theirs.person != teammate:
        errors["theirs"] = "That shift is not your teammate's: pick one of theirs, or cover only."
    elif theirs is not None and mine is not None and theirs.rotation != mine.rotation:
        errors["theirs"] = "That shift is in another rotation: pick one in the same rotation as yours."
    part = (_instant(values, "part_from"), _instant(values, "part_until"))
    if part[0] and part[1] and part[0] >= part[1]:
        errors["part_until"] = "The end of the part comes after its start."
    if errors or mine is None or teammate is None:
        return errors
    reason = str(_value(values, "reason").get("value") or "").strip()[:REASON_LIMIT]
    return SwapForm(
        teammate, mine.rotation, mine.span, (theirs.person, theirs.span) if theirs else None, part, reason
    )
