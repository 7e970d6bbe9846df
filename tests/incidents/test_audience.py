"""Who an incident reaches: owners and the on-call primary once each; stand-ins for whoever is away."""

from __future__ import annotations

import pytest

from bot.core.incidents.audience import OnCallPair, Reach, audience, mentioned


def reach(
    unavailable: dict[str, str],
    *,
    owners: tuple[str, str] = ("bob", "carol"),
    on_call: str = "alice",
    backup: str | None = "bob",
) -> list[Reach]:
    return audience(
        primary_owner=owners[0],
        secondary_owner=owners[1],
        on_call=[OnCallPair(on_call, backup)],
        unavailable=unavailable,
    )


def test_plain_day_everyone_reached_once() -> None:
    found = reach({})
    assert [(r.person, r.role, r.reached) for r in found] == [
        ("bob", "primary owner", True),
        ("carol", "secondary owner", True),
        ("alice", "on call", True),
    ]
    assert mentioned(found) == ["bob", "carol", "alice"]


def test_an_owner_on_call_is_named_once_as_owner() -> None:
    found = reach({}, owners=("alice", "bob"))
    assert [(r.person, r.role) for r in found] == [("alice", "primary owner"), ("bob", "secondary owner")]


def test_an_owner_away_is_not_reached_and_the_backup_stands_in() -> None:
    found = reach({"carol": "away (vacation)"}, owners=("carol", "david"), backup="bob")
    assert found[0] == Reach("carol", "primary owner", False, "away (vacation)", "bob")
    assert mentioned(found) == ["david", "alice", "bob"]


def test_owners_off_for_a_holiday_name_the_holiday() -> None:
    off = {"bob": "off for Christmas Day", "carol": "off for Christmas Day"}
    found = reach(off, on_call="david", backup="alice")
    assert [(r.person, r.reached, r.why, r.stand_in) for r in found] == [
        ("bob", False, "off for Christmas Day", "alice"),
        ("carol", False, "off for Christmas Day", "alice"),
        ("david", True, "", None),
    ]
    assert mentioned(found) == ["david", "alice"]


@pytest.mark.parametrize(
    ("unavailable", "stand_in"),
    [
        ({"bob": "away", "carol": "away"}, "alice"),  # the backup (bob) is away too: the primary stands in
        ({"bob": "away", "carol": "away", "alice": "away"}, None),  # nobody left
    ],
)
def test_a_stand_in_is_never_someone_unavailable(unavailable: dict[str, str], stand_in: str | None) -> None:
    found = reach(unavailable)
    assert found[1].stand_in == stand_in
    assert all(p not in unavailable for p in mentioned(found))
