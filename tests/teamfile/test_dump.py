"""Dumping a team file: the documented shape, and parse(dump(team)) == team for every valid team."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.core.schedule.holiday_calendar import CountryCalendar
from bot.core.team import WEEKDAYS, TeamFile
from bot.features.teamfile.dump import dump_team_file
from bot.features.teamfile.loader import parse_team_file
from bot.features.teamfile.validate import cross_check
from tests.teamfile.sample import BASE, edited

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [ROOT / "examples" / "week6-team.yaml", ROOT / "examples" / "week5-team.yaml"]


@pytest.mark.parametrize(
    "text",
    [
        *(path.read_text() for path in EXAMPLES),
        BASE,
        edited(
            "backup: next",
            "backup: [{primary: ann, backup: cat}, {primary: ben, backup: ann}, {primary: cat, backup: ben}]",
        ),
        edited('"09:00"', '"17:45"').replace("weekday: monday", "weekday: friday"),
        edited("  - name: ops", "  - name: ops\n    unit: daily\n    length: 3\n    timezone: Asia/Kolkata"),
        edited("    start: 2026-01-05", "    start: 2026-01-05\n    user_group: S0OPS0001"),
        edited("[cat]", "[cat, {name: Finance, slack: C0FIN0001}, {name: Auditors}]"),
        edited(
            "    name: Ann", '    name: "Ann O\'Neil: #1"\n    timezone: America/Chicago\n    admin: true'
        ),
        edited(
            "  country: GB", "  country: GB\n  subdivision: SCT\n  extra: [{date: 2026-08-14, name: 'yes'}]"
        ),
    ],
)
def test_examples_and_edited_copies_round_trip(text: str) -> None:
    team = parse_team_file(text)
    assert parse_team_file(dump_team_file(team)) == team


def test_the_dump_reads_like_the_examples() -> None:
    text = dump_team_file(parse_team_file(EXAMPLES[1].read_text()))
    top_level = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith(" ")]
    assert top_level == ["timezone", "holidays", "people", "pipelines", "rotations"]
    assert "\n    2026-07-03: bob\n" in text  # dates as YYYY-MM-DD, unquoted
    assert '\n      time: "09:00"\n' in text
    assert "\n    members: [alice, bob, charlie, david]\n" in text
    assert "\n    start: 2025-12-29\n" in text
    assert "admin: false" not in text and "runbook" not in text  # defaults and absent values left out
    assert "\n    backup: next\n    unit: weekly\n    length: 1\n" in text  # shown: a reader needs them
    rotation_fields = re.findall(r"^  (?:- |  )(\w+):", text.split("rotations:")[1], re.MULTILINE)
    assert rotation_fields == ["name", "channel", "members", "backup", "unit", "length", "handoff", "start"]


# Text that YAML would read as something else unless the dump quotes it.
TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "2026-01-05",
    "10:30",
    "0x1F",
    "1e3",
    "- x",
    "#x",
    "a: b",
    "*a",
    "&b",
    "!t",
    "'q'",
]
TEXT = (
    st.one_of(
        st.sampled_from(TRICKY),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    )
    .map(str.strip)
    .filter(bool)
)
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"]
IDS = ["ann", "ben", "cy", "dee", "eve"]


@st.composite
def people(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    found = []
    for i, pid in enumerate(ids):
        reach = draw(st.sampled_from(["slack", "email", "both"]))
        found.append(
            {
                "id": pid,
                "name": draw(TEXT),
                "slack_id": f"U0PERSON{i}" if reach != "email" else None,
                "email": f"{pid}@example.com" if reach != "slack" else None,
                "timezone": draw(st.none() | st.sampled_from(ZONES)),
                "admin": draw(st.booleans()),
            }
        )
    return found


@st.composite
def pipelines(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    keys = draw(st.lists(st.sampled_from(["alpha", "beta", "gamma-daily"]), max_size=3, unique=True))
    contacts = st.fixed_dictionaries({"name": TEXT, "slack": st.none() | st.just("S0TEAM001")})
    found = []
    for key in keys:
        primary, secondary = draw(st.permutations(ids))[:2]
        found.append(
            {
                "key": key,
                "name": draw(TEXT),
                "area": draw(TEXT.map(lambda text: text[:50].strip()).filter(bool)),
                "investor_facing": draw(st.booleans()),
                "primary": primary,
                "secondary": secondary,
                "runbook": draw(st.none() | st.just(f"{key}.md")),
                "aliases": draw(st.lists(TEXT, max_size=2)),
                "escalation": draw(st.lists(st.sampled_from(ids) | contacts, max_size=2)),
            }
        )
    return found


@st.composite
def rotations(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    found = []
    for name in draw(st.lists(st.sampled_from(["ops", "data-oncall"]), max_size=2, unique=True)):
        members = draw(st.permutations(ids))[: draw(st.integers(2, len(ids)))]
        shift = draw(st.integers(1, len(members) - 1))
        pairs = [{"primary": m, "backup": members[(i + shift) % len(members)]} for i, m in enumerate(members)]
        found.append(
            {
                "name": name,
                "channel": draw(st.sampled_from(["#data-oncall", "C0CHANNEL1"])),
                "members": members,
                "backup": draw(st.just("next") | st.just(pairs)),
                "unit": draw(st.sampled_from(["weekly", "daily"])),
                "length": draw(st.integers(1, 52)),
                "handoff": {
                    "weekday": draw(st.sampled_from(WEEKDAYS)),
                    "time": dt.time(draw(st.integers(0, 23)), draw(st.integers(0, 59))),
                },
                "timezone": draw(st.none() | st.sampled_from(ZONES)),
                "start": draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))),
                "user_group": draw(st.none() | st.just("S0ONCALL1")),
            }
        )
    return found


@st.composite
def holidays(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    country = draw(st.sampled_from(["US", "GB", "DE"]))
    subdivision = draw(
        st.none() | st.sampled_from({"US": ["CA", "NY"], "GB": ["SCT"], "DE": ["BY"]}[country])
    )
    extra = draw(st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)), max_size=3, unique=True))
    public = [h.day for h in CountryCalendar(country, subdivision).holidays_in(2026)]
    pinned = draw(st.lists(st.sampled_from(public + extra), max_size=4, unique=True))
    return {
        "country": country,
        "subdivision": subdivision,
        "extra": [{"date": day, "name": draw(TEXT)} for day in extra],
        "pinned": {day: draw(st.sampled_from(ids)) for day in pinned},
    }


@st.composite
def teams(draw: st.DrawFn) -> TeamFile:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=2, max_size=5, unique=True))
    team = TeamFile.model_validate(
        {
            "timezone": draw(st.sampled_from(ZONES)),
            "holidays": draw(holidays(ids)),
            "people": draw(people(ids)),
            "pipelines": draw(pipelines(ids)),
            "rotations": draw(rotations(ids)),
        }
    )
    assume(not cross_check(team))  # random names may clash; those files are refused, not dumped
    return team


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams())
def test_every_valid_team_round_trips(team: TeamFile) -> None:
    assert parse_team_file(dump_team_file(team)) == team
