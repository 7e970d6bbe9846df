"""A process killed (SIGKILL) while it posts the month-end checklists, just before or just after
Slack took one: after its lease runs out another process finishes the job, and every checklist is
in Slack exactly once.

Each round is a real `oncall-bot run-job month-end` process; the fake Slack holds its answer to one
post (chosen at random, taken or not) and the process is killed while it waits. CRASH_ROUNDS sets
the number of rounds (100 for the full trial; the suite runs a few on each store).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from calendar import monthrange
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.scheduled import job_posts, send_post
from bot.delivery.slack_api import make_client
from bot.features.oncall.views import load_view
from bot.settings import Settings
from bot.store import ledger
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "4"))
NY = ZoneInfo("America/New_York")
SETTINGS = Settings(_env_file=None, runbooks_dir=ROOT / "runbooks")  # type: ignore[call-arg]
CHECKLISTS = 4  # the Week 6 team's investor-facing pipelines: a month's end posts one each at least


async def month_end(
    sessions: async_sessionmaker[AsyncSession], year: int, month: int
) -> tuple[datetime, int]:
    """Noon on the month's last business day, when every checklist of the month is due, and how
    many posts the month-end job makes then (at least)."""
    day = datetime(year, month, monthrange(year, month)[1], 12, tzinfo=NY)
    async with sessions() as session:  # not committed: the job itself creates the checklists
        view = await load_view(session)
        for _ in range(7):
            posts = await job_posts(
                session, view=view, job="month-end", at=day, rotation=None, settings=SETTINGS, keep=False
            )
            if len(posts) >= CHECKLISTS:
                return day, len(posts)
            day -= timedelta(days=1)
    raise AssertionError(f"no month-end checklists in {year}-{month:02}")


async def killed_mid_post(fake: FakeSlack, url: str, at: datetime, *, after: int, posted: bool) -> None:
    """Run the month-end job in its own process and kill it while Slack holds the answer to its
    post number `after` + 1 (which Slack took when `posted`)."""
    fake.answer_late("chat.postMessage", after=after, posted=posted)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_API_URL": fake.url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_RETRY_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run-job",
        "month-end",
        "--at",
        at.replace(tzinfo=None).isoformat(),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    waiting, done = asyncio.create_task(fake.holding.wait()), asyncio.create_task(child.wait())
    await asyncio.wait([waiting, done], timeout=60, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    assert not done.done(), (await child.communicate())[1].decode()
    assert fake.holding.is_set(), "the job never reached the post"
    child.send_signal(signal.SIGKILL)
    assert await child.wait() == -signal.SIGKILL
    fake.release()


async def take_over(sessions: async_sessionmaker[AsyncSession], fake: FakeSlack, at: datetime) -> list[str]:
    """Another process, once the dead one's lease ran out, runs the job again; the keys it covers."""
    later = datetime.now(UTC) + ledger.LEASE + timedelta(seconds=1)
    async with sessions() as session:
        view = await load_view(session)
        posts = await job_posts(
            session, view=view, job="month-end", at=at, rotation=None, settings=SETTINGS, keep=True
        )
    client = make_client(Settings(_env_file=None, slack_api_url=fake.url), token="xoxb-test")  # type: ignore[call-arg]
    for post in posts:
        assert await send_post(sessions, client, post, owner="taker", now=later) in ("sent", "already sent")
    return [p.key for p in posts]


async def test_a_post_killed_mid_send_is_in_slack_once(
    team: async_sessionmaker[AsyncSession], store_url: str, fake_slack: FakeSlack
) -> None:
    fake_slack.epoch = time.time  # message timestamps as Slack's: the time they were posted
    chance = random.Random(16)
    duplicates, lost = [], []
    for n in range(ROUNDS):
        at, posts = await month_end(team, 2027 + n // 12, 1 + n % 12)
        after, posted = chance.randrange(posts), chance.random() < 0.5
        await killed_mid_post(fake_slack, store_url, at, after=after, posted=posted)
        keys = await take_over(team, fake_slack, at)
        assert len(keys) >= posts  # once the checklists exist, their reminders are due too
        for key in keys:
            copies = fake_slack.posted(key)
            duplicates += [key] * (len(copies) - 1)
            lost += [key] if not copies else []
            async with team() as session:
                where = await ledger.posted(session, key)
            assert copies and where is not None and where[1] == copies[0]["ts"], key
    assert (duplicates, lost) == ([], [])
