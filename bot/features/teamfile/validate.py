"""Checks that span sections of a team file: every name it uses must exist, and nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from bot.core.runbooks.lookup import normal
from bot.core.runbooks.parse import RunbookError
from bot.core.schedule.holiday_calendar import CountryCalendar
from bot.core.schedule.model import Holiday
from bot.core.team import RotationConfig, TeamFile
from bot.features.oncall.runbooks import load_runbook
from bot.features.teamfile.nodes import Loc

Found = list[tuple[Loc, str]]
PersonCheck = Callable[[Loc, str], bool]  # reports an unknown person id; True when the id is known
NEAR_DAYS = 10


def cross_check(team: TeamFile, *, runbooks_dir: Path | None = None) -> Found:
    """Every cross-section problem as (location, message); empty when the file is consistent."""
    found: Found = []
    known = {p.id for p in team.people}
    listing = ", ".join(sorted(known)) or "none"

    def person(loc: Loc, pid: str) -> bool:
        if pid not in known:
            found.append((loc, f"unknown person {pid!r} (people: {listing})"))
        return pid in known

    _check_people(team, found)
    for i, pipeline in enumerate(team.pipelines):
        person(("pipelines", i, "primary"), pipeline.primary)
        person(("pipelines", i, "secondary"), pipeline.secondary)
        for j, contact in enumerate(pipeline.escalation):
            if isinstance(contact, str):
                person(("pipelines", i, "escalation", j), contact)
    _check_pipelines(team, found, runbooks_dir)
    for i, rotation in enumerate(team.rotations):
        _check_rotation(rotation, ("rotations", i), person, found)
    _duplicates(found, ("rotations",), "name", (r.name for r in team.rotations), "rotation name")
    on_call = {m for r in team.rotations for m in r.members}
    for day, pid in team.holidays.pinned.items():
        if person(("holidays", "pinned", day.isoformat()), pid) and pid not in on_call:
            found.append(
                (("holidays", "pinned", day.isoformat()), f"{pid} is in no rotation, so cannot cover {day}")
            )
    _check_holidays(team, found)
    return found


def _duplicates(found: Found, section: Loc, field: str, values: Iterable[str | None], what: str) -> None:
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            also = f"{section[-1]}[{first[value]}]"
            found.append(((*section, i, field), f"duplicate {what} {value!r} (also {also})"))
        first.setdefault(value, i)


def _check_people(team: TeamFile, found: Found) -> None:
    _duplicates(found, ("people",), "id", (p.id for p in team.people), "person id")
    _duplicates(found, ("people",), "slack_id", (p.slack_id for p in team.people), "slack_id")
    _duplicates(found, ("people",), "email", (p.email and p.email.lower() for p in team.people), "email")
    for i, p in enumerate(team.people):
        if not p.slack_id and not p.email:
            found.append((("people", i), f"{p.id} needs a slack_id or an email so the bot can find them"))


def _check_pipelines(team: TeamFile, found: Found, runbooks: Path | None) -> None:
    _duplicates(found, ("pipelines",), "key", (p.key for p in team.pipelines), "pipeline key")
    for i, p in enumerate(team.pipelines):
        if p.primary == p.secondary:
            found.append((("pipelines", i, "secondary"), "the secondary owner must differ from the primary"))
        if runbooks is not None and p.runbook:
            try:
                load_runbook(runbooks, p.runbook)
            except RunbookError as error:
                found.append((("pipelines", i, "runbook"), str(error)))
    _check_names(team, found)


def _check_names(team: TeamFile, found: Found) -> None:
    """Each name people may type (key, name, alias) must lead to one pipeline only."""
    names: list[tuple[Loc, str, str, str]] = []  # (where, what, written, pipeline key)
    for i, p in enumerate(team.pipelines):
        names += [(("pipelines", i, field), field, getattr(p, field), p.key) for field in ("key", "name")]
    for i, p in enumerate(team.pipelines):
        names += [(("pipelines", i, "aliases", j), "alias", a, p.key) for j, a in enumerate(p.aliases)]
    owner: dict[str, str] = {}
    for loc, what, written, key in names:
        typed = normal(written)
        if not typed:
            found.append((loc, f"{what} {written!r} has no letters or digits besides 'pipeline'"))
        elif owner.setdefault(typed, key) != key:
            found.append((loc, f"{what} {written!r} already names pipeline {owner[typed]!r}"))


def _check_rotation(rotation: RotationConfig, at: Loc, person: PersonCheck, found: Found) -> None:
    members: set[str] = set()
    for j, member in enumerate(rotation.members):
        person((*at, "members", j), member)
        if member in members:
            found.append(((*at, "members", j), f"{member} is listed twice"))
        members.add(member)
    if len(members) < 2:
        found.append(((*at, "members"), "a rotation needs at least two different members"))
    if rotation.backup == "next":
        return
    given: set[str] = set()
    for j, pair in enumerate(rotation.backup):
        for field in ("primary", "backup"):
            pid = getattr(pair, field)
            if person((*at, "backup", j, field), pid) and pid not in members:
                found.append(((*at, "backup", j, field), f"{pid!r} is not a member of {rotation.name}"))
        if pair.primary == pair.backup:
            found.append(((*at, "backup", j), f"{pair.primary} cannot be their own backup"))
        elif pair.primary in given:
            found.append(((*at, "backup", j), f"{pair.primary} is given a backup twice"))
        given.add(pair.primary)
    if missing := [m for m in rotation.members if m not in given]:
        found.append(((*at, "backup"), f"no backup given for {', '.join(dict.fromkeys(missing))}"))


def _check_holidays(team: TeamFile, found: Found) -> None:
    settings = team.holidays
    extra = [Holiday(h.date, h.name) for h in settings.extra]
    try:
        calendar = CountryCalendar(settings.country, settings.subdivision, extra)
    except ValueError as error:
        field = "subdivision" if "subdivision" in str(error) else "country"
        found.append((("holidays", field), str(error)))
        return
    _duplicates(found, ("holidays", "extra"), "date", (str(h.date) for h in settings.extra), "company day")
    label = f"{settings.country}-{settings.subdivision}" if settings.subdivision else settings.country
    for day in settings.pinned:
        nearby = [h for year in (day.year - 1, day.year, day.year + 1) for h in calendar.holidays_in(year)]
        if day not in {h.day for h in nearby}:
            found.append(
                (
                    ("holidays", "pinned", day.isoformat()),
                    f"{day} is not a public holiday of {label} nor a company day ({_near(day, nearby)})",
                )
            )


def _near(day: date, holidays: list[Holiday]) -> str:
    near = [h for h in holidays if abs((h.day - day).days) <= NEAR_DAYS]
    if not near:
        near = [min(holidays, key=lambda h: abs((h.day - day).days))] if holidays else []
        return f"the nearest: {near[0].day} {near[0].name}" if near else "it has no holidays"
    return "near: " + "; ".join(f"{h.day} {h.name}" for h in near)
