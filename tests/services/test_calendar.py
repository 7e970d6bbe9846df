"""The calendar feed, read back by a calendar library: the same events keep their identity from one
fetch to the next, and a change of holder is a new revision of the same event."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.schedule.model import Override, Role
from bot.features.calendar.feeds import issue, render_feed
from bot.features.oncall.views import TeamView
from bot.store.schedule import add_override

NY = ZoneInfo("America/New_York")
FIRST = datetime(2026, 12, 8, 12, tzinfo=NY)  # Alice primary until Mon 14 Dec 09:00, then Bob
NEXT_WEEK = datetime(2026, 12, 14, 9, tzinfo=NY)
Maker = async_sessionmaker[AsyncSession]


async def rotation_feed(maker: Maker, team: TeamView) -> str:
    async with maker() as session:
        links = await issue(
            session, view=team, person="alice", base_url="https://oncall.example.com", actor="alice",
            source="test", at=FIRST,
        )  # fmt: skip
        await session.commit()
    return links.rotations["data-oncall"].rsplit("/", 1)[1].removesuffix(".ics")


async def fetch(maker: Maker, secret: str, at: datetime) -> dict[str, Event]:
    async with maker() as session:
        body = await render_feed(session, secret=secret, at=at)
        await session.commit()
    assert body is not None
    return {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def starting(events: dict[str, Event], role: str, at: datetime) -> Event:
    [found] = [e for e in events.values() if e.decoded("dtstart") == at and role in str(e["summary"])]
    return found


async def test_two_fetches_an_hour_apart_show_the_same_events(session_maker: Maker, team: TeamView) -> None:
    secret = await rotation_feed(session_maker, team)
    first = await fetch(session_maker, secret, FIRST)
    later = await fetch(session_maker, secret, FIRST + timedelta(hours=1))
    assert list(later) == list(first)
    for uid, event in later.items():
        assert event.decoded("dtstart") == first[uid].decoded("dtstart")
        assert event.decoded("dtend") == first[uid].decoded("dtend")
        assert event["sequence"] == 0
        assert event.decoded("dtstamp") == FIRST  # when the feed first showed it, not the shift's start
    # Ten days on, the shifts still in the window are the same events.
    days_later = await fetch(session_maker, secret, FIRST + timedelta(days=10))
    since = datetime(2026, 11, 30, 9, tzinfo=NY)  # the start of the shift 14 days before then
    kept = [uid for uid, e in first.items() if e.decoded("dtstart") >= since]
    assert kept and all(uid in days_later for uid in kept)
    assert all(days_later[uid].decoded("dtend") == first[uid].decoded("dtend") for uid in kept)


async def test_a_new_holder_is_a_new_revision_of_the_same_event(session_maker: Maker, team: TeamView) -> None:
    secret = await rotation_feed(session_maker, team)
    before = starting(await fetch(session_maker, secret, FIRST), "primary", NEXT_WEEK)
    assert "Bob" in str(before["summary"])
    swapped_at = FIRST + timedelta(minutes=30)
    async with session_maker() as session:
        override = Override("data-oncall", Role.PRIMARY, "carol", NEXT_WEEK, NEXT_WEEK + timedelta(days=7))
        await add_override(session, override=override, actor="bob", source="test", at=swapped_at)
        await session.commit()
    fetched_at = FIRST + timedelta(hours=1)
    after = starting(await fetch(session_maker, secret, fetched_at), "primary", NEXT_WEEK)
    assert after["uid"] == before["uid"] and "Carol" in str(after["summary"])
    assert after["sequence"] == 1 and after.decoded("dtstamp") == fetched_at
    again = starting(
        await fetch(session_maker, secret, fetched_at + timedelta(hours=1)), "primary", NEXT_WEEK
    )
    assert again["sequence"] == 1 and again.decoded("dtstamp") == fetched_at
