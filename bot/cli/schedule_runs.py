"""What `who`, `schedule` and `holidays` do: the schedule read from the store and printed."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli.args import in_zone
from bot.cli.errors import UsageError
from bot.cli.store_access import open_store
from bot.cli.table import format_table
from bot.core.schedule.model import Segment, spell
from bot.features.oncall.views import (
    NoTeam,
    OnCall,
    UnknownRotation,
    explain,
    holiday_records,
    load_view,
    on_call,
    schedule,
)
from bot.messages.holiday_words import counts_text, duty_why, not_started
from bot.settings import Settings


def local(when: datetime, zone: str) -> str:
    return when.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M %Z")


def why(segment: Segment | None) -> str:
    return "not started" if segment is None else explain(segment)


async def run_who(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions, sessions() as session:
        try:
            view = await load_view(session)
            at = in_zone(args.at, view.file.timezone) if args.at else datetime.now(UTC)
            answers = await on_call(session, at=at, rotation=args.rotation, view=view)
        except (NoTeam, UnknownRotation) as error:
            raise UsageError(str(error)) from None
    if args.format == "json":
        rows = [_who_json(answer) for answer in answers]
        print(json.dumps(rows[0] if len(rows) == 1 else rows, indent=2))
        return
    for answer in answers:
        print(_who_text(answer))


def _who_json(answer: OnCall) -> dict[str, Any]:
    def person(segment: Segment | None) -> str | None:
        return segment.person if segment else None

    zone = ZoneInfo(answer.rotation.timezone)
    return {
        "rotation": answer.rotation.name,
        "at": answer.at.astimezone(ZoneInfo(answer.rotation.timezone)).isoformat(),
        "primary": person(answer.primary),
        "backup": person(answer.backup),
        "reasons": {"primary": why(answer.primary), "backup": why(answer.backup)},
        "until": {
            "primary": answer.primary.end.astimezone(zone).isoformat() if answer.primary else None,
            "backup": answer.backup.end.astimezone(zone).isoformat() if answer.backup else None,
        },
    }


def _who_text(answer: OnCall) -> str:
    zone = answer.rotation.timezone
    if answer.primary is None or answer.backup is None:
        start = local(answer.next_handoff, zone) if answer.next_handoff else "a later date"
        return f"{answer.rotation.name}: the rotation starts on {start}"
    rows = [
        [role, seg.person or "(nobody: gap)", why(seg), local(seg.end, zone)]
        for role, seg in (("primary", answer.primary), ("backup", answer.backup))
    ]
    title = f"{answer.rotation.name} at {local(answer.at, zone)}"
    return f"{title}\n{format_table(['ROLE', 'PERSON', 'WHY', 'UNTIL'], rows)}\n"


async def run_schedule(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions, sessions() as session:
        try:
            view = await load_view(session)
            zone = ZoneInfo(view.file.timezone)
            first = args.start or datetime.now(zone).date()
            last = args.end or first + timedelta(weeks=args.weeks or 4, days=-1)
            if last < first:
                raise UsageError(f"--to {last} is before --from {first}")
            start = datetime.combine(first, time(), zone)
            end = datetime.combine(last + timedelta(days=1), time(), zone)
            result = await schedule(session, start=start, end=end, rotation=args.rotation, view=view)
        except (NoTeam, UnknownRotation) as error:
            raise UsageError(str(error)) from None
    if args.format == "json":
        found = [
            _segment_json(seg, ZoneInfo(item.rotation.timezone))
            for item in result
            for seg in item.resolution.segments
        ]
        print(json.dumps(found, indent=2))
        return
    for item in result:
        tz = item.rotation.timezone
        print(f"{item.rotation.name} ({tz}), {first} to {last}")
        rows = [
            [s.role.value, s.person or "(gap)", local(s.start, tz), local(s.end, tz), why(s)]
            for s in item.resolution.segments
        ]
        print(format_table(["ROLE", "PERSON", "FROM", "TO", "WHY"], rows))
        if item.resolution.duties:
            print("\nHolidays:")
            for duty in item.resolution.duties:
                cover = duty.person or "nobody available (gap)"
                print(f"  {duty.holiday.day:%a %Y-%m-%d}  {duty.holiday.name}: {cover} covers")
        print()


def _segment_json(segment: Segment, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "rotation": segment.rotation,
        "role": segment.role.value,
        "person": segment.person,
        "start": segment.start.astimezone(zone).isoformat(),
        "end": segment.end.astimezone(zone).isoformat(),
        "reason": segment.reason.value,
        "detail": spell(segment.detail),
    }


async def run_holidays(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions, sessions() as session:
        try:
            view = await load_view(session)
            year = args.year or datetime.now(ZoneInfo(view.file.timezone)).year
            records = await holiday_records(session, year=year, rotation=args.rotation, view=view)
        except (NoTeam, UnknownRotation) as error:
            raise UsageError(str(error)) from None
    for record in records:
        if not record.started:
            print(not_started(record.rotation.name, year, record.since) + "\n")
            continue
        print(f"{record.rotation.name}: holiday duty in {year}")
        rows = [
            [f"{d.holiday.day:%a %Y-%m-%d}", d.holiday.name, d.person or "(nobody: gap)", duty_why(d)]
            for d in record.duties
        ]
        print(format_table(["DATE", "HOLIDAY", "COVERS", "WHY"], rows))
        print(f"Count {year}: {counts_text(record.this_year)}")
        print(f"Count {record.since}-{year}: {counts_text(record.all_years)}\n")


COMMANDS = {"who": run_who, "schedule": run_schedule, "holidays": run_holidays}
