"""Checks that span sections of a team file: every name it uses must exist, and nothing twice."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from bot.runbooks.parse import RunbookError, load_runbook
from bot.schedule.holiday_calendar import CountryCalendar
from bot.schedule.model import Holiday
from bot.teamfile.schema import TeamFile

Loc = tuple[str | int, ...]
Found = list[tuple[Loc, str]]


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _duplicates(found: Found, section: str, field: str, values: Iterable[str | None], what: str) -> None:
    seen: dict[str, int] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            found.append(((section, i, field), f"duplicate {what} {value!r} (also {section}[{seen[value]}])"))
        seen.setdefault(value, i)


def cross_check(team: TeamFile, *, runbooks_dir: Path | None = None) -> Found:
    """Every cross-section problem as (location, message); empty when the file is consistent."""
    found: Found = []
    _check_people(team, found)
    known = {p.id for p in team.people}
    listing = ", ".join(sorted(known)) or "none"

    def person(loc: Loc, pid: str) -> None:
        if pid not in known:
            found.append((loc, f"unknown person {pid!r} (people: {listing})"))

    _check_pipelines(team, found, person, runbooks_dir)
    _check_rotations(team, found, person)
    _check_holidays(team, found, person)
    return found


def _check_people(team: TeamFile, found: Found) -> None:
    _duplicates(found, "people", "id", (p.id for p in team.people), "person id")
    _duplicates(found, "people", "slack_id", (p.slack_id for p in team.people), "slack_id")
    _duplicates(found, "people", "email", (p.email and p.email.lower() for p in team.people), "email")
    for i, p in enumerate(team.people):
        if not p.slack_id and not p.email:
            found.append(
                (("people", i), f"{p.id} needs a slack_id or an email so the bot can find them in Slack")
            )


def _check_pipelines(
    team: TeamFile, found: Found, person: Callable[[Loc, str], None], runbooks: Path | None
) -> None:
    _duplicates(found, "pipelines", "key", (p.key for p in team.pipelines), "pipeline key")
    owner_of: dict[str, str] = {}
    for p in team.pipelines:
        for name in (p.key, p.name):
            owner_of.setdefault(_normal(name), p.key)
    for i, p in enumerate(team.pipelines):
        person(("pipelines", i, "primary"), p.primary)
        person(("pipelines", i, "secondary"), p.secondary)
        if p.primary == p.secondary:
            found.append((("pipelines", i, "secondary"), "the secondary owner must differ from the primary"))
        for j, contact in enumerate(p.escalation):
            if isinstance(contact, str):
                person(("pipelines", i, "escalation", j), contact)
        for j, alias in enumerate(p.aliases):
            other = owner_of.setdefault(_normal(alias), p.key)
            if other != p.key:
                found.append(
                    (("pipelines", i, "aliases", j), f"alias {alias!r} already names pipeline {other!r}")
                )
        if runbooks is not None and p.runbook:
            try:
                load_runbook(runbooks, p.runbook)
            except RunbookError as error:
                found.append((("pipelines", i, "runbook"), str(error)))


def _check_rotations(team: TeamFile, found: Found, person: Callable[[Loc, str], None]) -> None:
    _duplicates(found, "rotations", "name", (r.name for r in team.rotations), "rotation name")
    for i, r in enumerate(team.rotations):
        seen: set[str] = set()
        for j, member in enumerate(r.members):
            person(("rotations", i, "members", j), member)
            if member in seen:
                found.append((("rotations", i, "members", j), f"{member} is listed twice"))
            seen.add(member)
        if len(seen) < 2:
            found.append((("rotations", i, "members"), "a rotation needs at least two different members"))
        if r.backup == "next":
            continue
        paired = {pair.primary for pair in r.backup}
        for j, pair in enumerate(r.backup):
            for field in ("primary", "backup"):
                pid = getattr(pair, field)
                if pid not in seen:
                    found.append(
                        (("rotations", i, "backup", j, field), f"{pid!r} is not a member of {r.name}")
                    )
            if pair.primary == pair.backup:
                found.append((("rotations", i, "backup", j), f"{pair.primary} cannot be their own backup"))
        if missing := [m for m in r.members if m not in paired]:
            found.append((("rotations", i, "backup"), f"no backup given for {', '.join(missing)}"))


def _check_holidays(team: TeamFile, found: Found, person: Callable[[Loc, str], None]) -> None:
    settings = team.holidays
    extra = [Holiday(h.date, h.name) for h in settings.extra]
    try:
        calendar = CountryCalendar(settings.country, settings.subdivision, extra)
    except ValueError as error:
        field = "subdivision" if "subdivision" in str(error) else "country"
        found.append((("holidays", field), str(error)))
        return
    _duplicates(found, "holidays", "extra", (str(h.date) for h in settings.extra), "company holiday")
    for day, pid in settings.pinned.items():
        loc: Loc = ("holidays", "pinned", str(day))
        person(loc, pid)
        days = {h.day: h.name for h in calendar.holidays_in(day.year)}
        if day not in days:
            near = [f"{d} {n}" for d, n in days.items() if abs(d - day) <= timedelta(days=10)]
            hint = f" (near: {'; '.join(near)})" if near else ""
            found.append((loc, f"{day} is not a holiday of {settings.country}{hint}"))
