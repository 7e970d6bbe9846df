"""Block Kit for `/oncall`: pure functions from plain values to blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from zoneinfo import ZoneInfo

from bot.core.schedule.model import HolidayDuty, Reason, Role, Segment
from bot.core.team import Person
from bot.features.oncall.people import Availability, PersonSummary
from bot.features.oncall.views import HolidayRecord, OnCall, RotationSchedule, explain
from bot.messages.common import Blocks, context, escape, header, mention, section, usage
from bot.messages.holiday_words import counts_text, duty_why, not_started
from bot.messages.timefmt import day, slack_time

People = Mapping[str, Person]


def who(person_id: str | None, people: People, *, notify: bool = True) -> str:
    """A person as Slack shows them: a mention when their Slack id is known, else (or when they must
    not be notified) their name."""
    if person_id is None:
        return ":warning: _nobody_"
    person = people.get(person_id)
    if person is None:
        return escape(person_id)
    return mention(person.slack_id) if person.slack_id and notify else f"*{escape(person.name)}*"


def plain_name(person_id: str, people: People) -> str:
    """A person's name as text, for inside a phrase that is escaped as a whole; else their id."""
    return people[person_id].name if person_id in people else person_id


def why(segment: Segment, people: People) -> str:
    return escape(explain(segment, partial(plain_name, people=people)))


def holding(label: str, segment: Segment | None, people: People, zone: str) -> str:
    if segment is None:
        return f"*{label}:* _not started_"
    until = slack_time(segment.end, zone)
    return f"*{label}:* {who(segment.person, people)} ({why(segment, people)}), until {until}"


def now_blocks(answers: Sequence[OnCall], people: People, *, title: str = "On call now") -> Blocks:
    blocks: Blocks = [header(title)]
    for answer in answers:
        rot = answer.rotation
        if answer.primary is None:
            start = slack_time(answer.next_handoff, rot.timezone) if answer.next_handoff else "later"
            blocks.append(section(f"*{escape(rot.name)}* starts on {start}."))
            continue
        lines = [
            f"*{escape(rot.name)}*",
            holding("Primary", answer.primary, people, rot.timezone),
            holding("Backup", answer.backup, people, rot.timezone),
        ]
        blocks.append(section("\n".join(lines)))
        if answer.next_handoff:
            blocks.append(context(f"Next handoff {slack_time(answer.next_handoff, rot.timezone)}"))
    return blocks


def next_blocks(answers: Sequence[OnCall], people: People) -> Blocks:
    blocks: Blocks = [header("Next handoff")]
    for answer in answers:
        rot = answer.rotation
        lines = [
            f"*{escape(rot.name)}* hands off {slack_time(answer.at, rot.timezone)}",
            holding("Incoming primary", answer.primary, people, rot.timezone),
            holding("Incoming backup", answer.backup, people, rot.timezone),
        ]
        blocks.append(section("\n".join(lines)))
    return blocks


def schedule_blocks(items: Sequence[RotationSchedule], people: People, *, weeks: int) -> Blocks:
    blocks: Blocks = [header(f"Schedule, next {weeks} week{'s' if weeks != 1 else ''}")]
    for item in items:
        zone = item.rotation.timezone
        blocks.append(section(f"*{escape(item.rotation.name)}*"))
        lines = [_segment_line(seg, people, zone) for seg in item.resolution.segments]
        blocks.extend(section(chunk) for chunk in _chunks(lines))
        if item.resolution.duties:
            blocks.append(context(*[_duty_line(d, people) for d in item.resolution.duties][:10]))
    return blocks


def _segment_line(segment: Segment, people: People, zone: str) -> str:
    marker = "" if segment.reason is Reason.ROTATION else " :arrows_counterclockwise:"
    if segment.reason is Reason.HOLIDAY:
        marker = " :palm_tree:"
    span = f"{slack_time(segment.start, zone)} → {slack_time(segment.end, zone)}"
    return f"{span} · {segment.role.value} {who(segment.person, people)}{marker} _{why(segment, people)}_"


# Up to this many shifts are listed one a line; beyond it (a daily rotation's eight weeks), the regular
# ones are summed up a line per role, so that the eight weeks fit, and only the others keep a line.
LISTED_SHIFTS = 12


def _shift_lines(shifts: Sequence[Segment], people: People, zone: str) -> list[str]:
    if len(shifts) <= LISTED_SHIFTS:
        return [_segment_line(s, people, zone) for s in shifts]
    tz = ZoneInfo(zone)
    lines = []
    for role in (Role.PRIMARY, Role.BACKUP):
        regular = [s for s in shifts if s.role is role and s.reason is Reason.ROTATION]
        if regular:
            times = ", ".join(
                f"{s.start.astimezone(tz):%a %d %b %H:%M}→{s.end.astimezone(tz):%H:%M}" for s in regular
            )
            lines.append(f"{role.value} · _regular rotation_, {len(regular)} times ({escape(zone)}): {times}")
    others = [s for s in shifts if s.reason is not Reason.ROTATION]
    return lines + [_segment_line(s, people, zone) for s in others[:LISTED_SHIFTS]]


def _duty_line(duty: HolidayDuty, people: People) -> str:
    pin = " (pinned)" if duty.pinned else ""
    return f":palm_tree: {day(duty.holiday.day)} {escape(duty.holiday.name)}: {who(duty.person, people)}{pin}"


def _chunks(lines: Sequence[str], limit: int = 2900) -> list[str]:
    """Lines packed into section-sized texts, never splitting a line."""
    chunks: list[str] = []
    for line in lines:
        if chunks and len(chunks[-1]) + 1 + len(line) <= limit:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line[:limit])
    return chunks


def reach_text(reach: Availability | None) -> str:
    if reach is None or reach.available:
        return ":large_green_circle: available"
    return f":palm_tree: {escape(reach.why)}"


def person_blocks(summary: PersonSummary, people: People, *, zone: str, is_self: bool) -> Blocks:
    person = summary.person
    title = "Your on-call" if is_self else f"On-call of {person.name}"
    blocks: Blocks = [
        header(title),
        section(f"{who(person.id, people)} · {reach_text(summary.availability)}"),
    ]
    shifts = _shift_lines(summary.shifts, people, zone)
    blocks.append(section("*Next shifts (8 weeks)*\n" + ("\n".join(shifts) if shifts else "_none_")))
    if len(summary.shifts) > LISTED_SHIFTS:
        blocks.append(context("Every shift, in your own calendar: `/oncall calendar` gives its feed."))
    duties = [_duty_line(d, people) for d in summary.duties[:20]]
    blocks.append(section("*Holiday duty*\n" + ("\n".join(duties) if duties else "_none this year_")))
    owned = [f"• *{escape(p.name)}* (`{p.key}`), {role} owner" for p, role in summary.owns]
    blocks.append(section("*Pipelines*\n" + ("\n".join(owned) if owned else "_none_")))
    return blocks


def holidays_blocks(records: Sequence[HolidayRecord], people: People, *, year: int) -> Blocks:
    blocks: Blocks = [header(f"Holiday duty {year}")]
    name = partial(who, people=people, notify=False)
    plain = partial(plain_name, people=people)
    for record in records:
        if not record.started:
            blocks.append(section(escape(not_started(record.rotation.name, year, record.since)) + "."))
            continue
        lines = [f"{_duty_line(d, people)} _{escape(duty_why(d, plain))}_" for d in record.duties]
        blocks.append(section(f"*{escape(record.rotation.name)}*"))
        blocks.extend(section(chunk) for chunk in _chunks(lines or ["_No holidays._"]))
        blocks.append(
            context(
                f"Count {year}: {counts_text(record.this_year, name)}",
                f"Count {record.since}–{year}: {counts_text(record.all_years, name)}",
            )
        )
    return blocks


HELP = """\
*`/oncall`* — who is on call, and more. Answers are visible only to you; add `share` to post them.
• `/oncall` or `/oncall now` — primary and backup now, why, and until when
• `/oncall next` — the next handoff and who comes in
• `/oncall schedule [weeks]` — the next weeks (default 4, at most 26), holidays marked
• `/oncall me` — your next shifts, holiday duty and pipelines
• `/oncall @someone` — the same for someone else
• `/oncall <pipeline>` — owners, who covers it now, its runbook
• `/oncall holidays [year]` — holiday duty with counts
• `/oncall calendar` — private calendar feed links; `/oncall calendar reset` revokes them
• `/oncall checklist` — this month's month-end checklist: what is ticked, by whom
• `/oncall handoff <notes>` — as primary, leave notes for the next handoff post
• `/oncall away START END [reason]` — record an absence (your time zone); `away list`, `away cancel <id>`
• `/oncall history [N]` — the latest changes: who, when, from where
See also `/runbook <pipeline>`, and `/swap` to trade a shift or ask for cover."""


def help_blocks() -> Blocks:
    return [section(HELP)]


usage_blocks = partial(usage, "/oncall")
