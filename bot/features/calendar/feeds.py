"""Private iCalendar feeds of shifts, so on-call shows up in Google Calendar or Outlook.

A feed is reached by an unguessable secret in its URL. Only the secret's SHA-256 is stored, so a
link can be revoked but never shown again: asking twice tells the person to reset.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule.model import Segment
from bot.features.oncall.views import TeamView, explain, load_view, schedule
from bot.store import audit, calendar_feeds

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
    return FeedLinks(_url(base_url, personal), links)


async def revoke(session: AsyncSession, *, person: str, actor: str, source: str, at: datetime) -> int:
    """Revoke every feed link of a person; the number revoked."""
    count = await calendar_feeds.revoke_feeds(session, person=person, at=at)
    if count:
        await audit.record(
            session, actor=actor, source=source, action="calendar.reset", subject=person, at=at
        )
    return count


def _event(segment: Segment, name: str) -> Event:
    event = Event()
    role = segment.role.value
    event.add("uid", f"{segment.rotation}-{role}-{segment.start.isoformat()}-{segment.person}@oncall-bot")
    event.add("summary", f"On call ({role}), {segment.rotation}: {name}")
    event.add("dtstart", segment.start)
    event.add("dtend", segment.end)
    event.add("dtstamp", segment.start)
    event.add("description", explain(segment))
    return event


async def render_feed(session: AsyncSession, *, secret: str, at: datetime) -> str | None:
    """The iCalendar text behind a secret, or None when it is unknown or revoked."""
    feed = await calendar_feeds.feed_by_hash(session, fingerprint(secret))
    if feed is None or feed.revoked_at is not None:
        return None
    view = await load_view(session)
    items = await schedule(session, start=at - PAST, end=at + AHEAD, rotation=feed.rotation, view=view)
    cal = Calendar()
    cal.add("prodid", "-//oncall-bot//EN")
    cal.add("version", "2.0")
    title = f"On call: {feed.rotation}" if feed.rotation else f"My on-call ({feed.person_id})"
    cal.add("x-wr-calname", title)
    names = {p.id: p.name for p in view.file.people}
    for item in items:
        for segment in item.resolution.segments:
            mine = feed.rotation is not None or segment.person == feed.person_id
            if segment.person and mine:
                cal.add_component(_event(segment, names.get(segment.person, segment.person)))
    return cal.to_ical().decode()
