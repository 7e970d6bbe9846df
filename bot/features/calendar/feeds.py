"""Private iCalendar feeds of shifts, so on-call shows up in Google Calendar or Outlook.

A feed is reached by an unguessable secret in its URL. Only the secret's SHA-256 is stored, so a
link can be revoked but never shown again: asking twice tells the person to reset.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import shift_at
from bot.core.schedule.model import Rotation, Segment
from bot.features.oncall.views import TeamView, explain, load_view, schedule
from bot.store import audit, calendar_feeds, calendar_revisions
from bot.store.calendar_feeds import Feed
from bot.store.calendar_revisions import Revision

PAST = timedelta(days=14)
AHEAD = timedelta(weeks=26)


@dataclass(frozen=True)
class FeedLinks:
    personal: str | None  # None: links were issued before and can't be shown again
    rotations: dict[str, str]


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _url(base_url: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}/calendar/{secret}.ics"


async def issue(
    session: AsyncSession,
    *,
    view: TeamView,
    person: str,
    base_url: str,
    actor: str,
    source: str,
    at: datetime,
) -> FeedLinks:
    """New feed links for a person and their rotations, unless live ones exist already."""
    if await calendar_feeds.active_feeds(session, person=person):
        return FeedLinks(None, {})
    links: dict[str, str] = {}
    personal = secrets.token_urlsafe(32)
    await calendar_feeds.create_feed(
        session, person=person, rotation=None, secret_hash=fingerprint(personal), at=at
    )
    for rotation in (r for r in view.rotations.values() if person in r.members):
        secret = secrets.token_urlsafe(32)
        await calendar_feeds.create_feed(
            session, person=person, rotation=rotation.name, secret_hash=fingerprint(secret), at=at
        )
        links[rotation.name] = _url(base_url, secret)
    await audit.record(session, actor=actor, source=source, action="calendar.issue", subject=person, at=at)
    await session.commit()
    return FeedLinks(_url(base_url, personal), links)


async def revoke(session: AsyncSession, *, person: str, actor: str, source: str, at: datetime) -> int:
    """Revoke every feed link of a person; the number revoked."""
    count = await calendar_feeds.revoke_feeds(session, person=person, at=at)
    if count:
        await audit.record(
            session, actor=actor, source=source, action="calendar.reset", subject=person, at=at
        )
    await session.commit()
    return count


def _uid(segment: Segment) -> str:
    """The same event from one fetch to the next: its rotation, role and start, whoever holds it."""
    return (
        f"{segment.rotation}-{segment.role.value}-{segment.start.astimezone(UTC):%Y%m%dT%H%M%SZ}@oncall-bot"
    )


def _shown(segment: Segment) -> str:
    return f"{segment.person} {segment.start.isoformat()} {segment.end.isoformat()}"


def _event(segment: Segment, names: Mapping[str, str], revision: Revision) -> Event:
    event = Event()
    role = segment.role.value
    event.add("uid", _uid(segment))
    person = segment.person or ""
    event.add("summary", f"On call ({role}), {segment.rotation}: {names.get(person, person)}")
    event.add("dtstart", segment.start)
    event.add("dtend", segment.end)
    event.add("dtstamp", revision.revised_at.astimezone(UTC))  # when it last changed, as RFC 5545 asks
    event.add("sequence", revision.sequence)
    event.add("description", explain(segment, lambda member: names.get(member, member)))
    return event


def _window(rotation: Rotation, at: datetime) -> tuple[datetime, datetime]:
    """From the start of the shift `PAST` ago to the end of the shift `AHEAD`: whole shifts, so
    that no event is cut short by the moment the feed is fetched."""
    first, last = shift_at(rotation, at - PAST), shift_at(rotation, at + AHEAD)
    return (first.start if first else at - PAST), (last.end if last else at + AHEAD)


async def _segments(session: AsyncSession, view: TeamView, feed: Feed, at: datetime) -> list[Segment]:
    found = []
    for rotation in view.select(feed.rotation):
        start, end = _window(rotation, at)
        for item in await schedule(session, start=start, end=end, rotation=rotation.name, view=view):
            found += [
                s
                for s in item.resolution.segments
                if s.person and (feed.rotation is not None or s.person == feed.person_id)
            ]
    return found


async def render_feed(session: AsyncSession, *, secret: str, at: datetime) -> str | None:
    """The iCalendar text behind a secret, or None when it is unknown or revoked."""
    feed = await calendar_feeds.feed_by_hash(session, fingerprint(secret))
    if feed is None or feed.revoked_at is not None:
        return None
    view = await load_view(session)
    segments = await _segments(session, view, feed, at)
    revised = await calendar_revisions.revisions(session, {_uid(s): _shown(s) for s in segments}, at=at)
    cal = Calendar()
    cal.add("prodid", "-//oncall-bot//EN")
    cal.add("version", "2.0")
    title = f"On call: {feed.rotation}" if feed.rotation else f"My on-call ({feed.person_id})"
    cal.add("x-wr-calname", title)
    names = {p.id: p.name for p in view.file.people}
    for segment in segments:
        assert segment.person is not None
        cal.add_component(_event(segment, names, revised[_uid(segment)]))
    return str(cal.to_ical(), "utf-8")
