"""What an incident's timeline says: a thread message per event, and the timeline `/incident status`
shows; who did what is named without a new notification, whom an escalation calls is mentioned."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from bot.core.incidents.escalation import Level, Target, TargetKind
from bot.core.incidents.model import Event, EventKind
from bot.core.team import Person
from bot.messages.common import Blocks, escape, literal_section, mention, section, written_line
from bot.messages.oncall import who
from bot.messages.timefmt import slack_time

People = Mapping[str, Person]
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
NOBODY: Mapping[str, str] = MappingProxyType({})
NO_EVENTS: Mapping[int, Mapping[str, str]] = MappingProxyType({})
NOT_POSTED = ":warning: _not posted in Slack yet_"


def person(person_id: str | None, people: People) -> str:
    """Someone in the team as a mention, or someone outside it by their Slack id."""
    if person_id and person_id not in people and SLACK_USER.match(person_id):
        return mention(person_id)
    return who(person_id, people)


def named(person_id: str, people: People) -> str:
    """A name without a notification: the thread says who did what without pinging them again."""
    if person_id not in people and SLACK_USER.match(person_id):
        return mention(person_id)
    return who(person_id, people, notify=False)


def target_text(target: Target, people: People) -> str:
    if target.kind is TargetKind.GROUP:
        return f"<!subteam^{target.ref}>"
    if target.kind is TargetKind.CHANNEL:
        return f"<#{target.ref}>"
    if target.kind is TargetKind.USER:
        return mention(target.ref)
    if target.kind is TargetKind.PERSON:
        return who(target.ref, people)
    return f"*{escape(target.name)}*"


def written(event: Event) -> str | None:
    """What a person wrote with the event (the summary declared, the resolution), to show as written."""
    by_person = event.kind in (EventKind.DECLARED, EventKind.RESOLVED, EventKind.JOINED)
    return event.detail if by_person and event.detail else None


def _called(level: Level, people: People, unreachable: Mapping[str, str]) -> str:
    """Everyone the level calls who can be reached, mentioned; the others named with why not."""
    away = [t for t in level.targets if t.kind is TargetKind.PERSON and t.ref in unreachable]
    reached = [target_text(t, people) for t in level.targets if t not in away]
    said = ", ".join(reached) or "Nobody at this level can be reached."
    for target in away:
        said += f" :palm_tree: {escape(target.name)} is {escape(unreachable[target.ref])}, not mentioned."
    return said


def event_text(
    event: Event, ladder: Sequence[Level], people: People, unreachable: Mapping[str, str] = NOBODY
) -> str:
    """What the bot says of one timeline event; what a person wrote with it comes apart (`written`).
    `unreachable`: those of the team an escalation called who are away or off, and why."""
    by = f" by {named(event.actor, people)}" if event.actor else ""
    if event.kind is EventKind.ACKNOWLEDGED:
        return f":eyes: Acknowledged{by}."
    if event.kind is EventKind.RESOLVED:
        return f":white_check_mark: Resolved{by}."
    if event.kind is EventKind.REOPENED:
        if (event.level or 0) < len(ladder):
            return f":arrows_counterclockwise: Reopened{by}; it escalates again if nobody acknowledges it."
        return f":arrows_counterclockwise: Reopened{by}; every escalation level was already called."
    if event.kind is EventKind.DECLARED:
        return f":rotating_light: Declared{by}."
    if event.kind is EventKind.STILL_FIRING:
        return f":repeat: Still firing: {escape(event.detail)}."
    if event.kind is EventKind.SOURCE_RESOLVED:
        return f":large_green_circle: The source reports resolved; {escape(event.detail)}."
    if event.kind is EventKind.JOINED:
        return f":raising_hand: {named(event.actor or '?', people)} joined: they see the same outage."
    level = ladder[event.level - 1] if event.level and event.level <= len(ladder) else None
    whom = _called(level, people, unreachable) if level else "_nobody on file_"
    why = f" automatically: {escape(event.detail)}" if not event.actor and event.detail else by
    return f":rotating_light: Escalated to level {event.level} ({level.name if level else '?'}){why}. {whom}"


def event_blocks(
    event: Event, ladder: Sequence[Level], people: People, unreachable: Mapping[str, str] = NOBODY
) -> Blocks:
    """The thread message of one timeline event."""
    text = written(event)
    said = event_text(event, ladder, people, unreachable)
    return [section(said), *([literal_section(text)] if text else [])]


def timeline_blocks(
    events: Sequence[Event],
    ladder: Sequence[Level],
    people: People,
    zone: str,
    unreachable: Mapping[int, Mapping[str, str]] = NO_EVENTS,
) -> Blocks:
    """The last 20 events; `unreachable` says, per escalation event, who it called in vain. Those not
    in the thread yet (Slack failed or refused it) say so: nobody was told of them there."""
    lines = [
        written_line(
            f"{slack_time(e.at, zone)} {event_text(e, ladder, people, unreachable.get(e.id, NOBODY))}",
            written(e),
            *([] if e.posted else [NOT_POSTED]),
        )
        for e in events[-20:]
    ]
    return [section("*Timeline*"), *lines] if lines else []
