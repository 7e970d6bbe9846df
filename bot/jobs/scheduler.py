"""The rituals on a clock: one APScheduler job per rotation's handoff, derived from the store, and
a minute tick for incident escalation, reminders, month-end checklists, user groups that follow who
is on call, telling people a new team file moved their shifts, finding in Slack by email the people
the file gives no Slack id, closing swap requests and volunteer calls, and anything a trigger did
not catch.

Jobs live in memory only (nothing pickled, nothing a user wrote becomes code) and are rebuilt when
the rotations change. Each run asks which posts fell due within the grace window and sends them
through the ledger, so a run that fires twice, late, or on two replicas still posts each once; a
post missed while the bot was down is sent at start-up if it is recent enough, else skipped with a
log line. Each part runs on its own: one that fails is logged and the others still run.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import AppContext
from bot.core.schedule.model import Rotation, Unit
from bot.core.schedule.rotation import first_handoff_date
from bot.delivery.email_lookups import EmailLookups
from bot.delivery.post import Builder, Post
from bot.delivery.roster import roster_posts, team_fingerprint
from bot.delivery.scheduled import scheduled_parts, send_post
from bot.delivery.swaps import expire_swap_requests
from bot.delivery.user_groups import follow_once
from bot.delivery.volunteers import close_expired_volunteer_calls
from bot.features.handoff.user_groups import current_groups
from bot.features.oncall.views import NoTeam, TeamView
from bot.jobs.incidents import escalate_due
from bot.store import ledger

log = logging.getLogger(__name__)
T = TypeVar("T")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RESYNC = timedelta(minutes=1)
LOOKBACK = timedelta(days=8)  # how far back start-up looks for posts missed while the bot was down


def handoff_trigger(rotation: Rotation) -> CronTrigger:
    """Fires at the rotation's handoff wall time in its zone; the engine decides if a shift starts."""
    days = "*" if rotation.unit is Unit.DAILY else WEEKDAYS[first_handoff_date(rotation).weekday()]
    at = rotation.handoff_time
    return CronTrigger(day_of_week=days, hour=at.hour, minute=at.minute, timezone=rotation.timezone)


async def isolated(part: str, work: Callable[[], Awaitable[T]], fallback: T) -> T:
    """Run one part of the rituals; a failure is logged and leaves the other parts to run."""
    try:
        return await work()
    except Exception:
        log.exception("%s failed; the other rituals go on", part)
        return fallback


class Rituals:
    def __init__(self, ctx: AppContext, client: AsyncWebClient, *, grace: timedelta) -> None:
        self.ctx, self.client, self.grace = ctx, client, grace
        self.owner = f"{socket.gethostname()}:{id(self)}"
        self.scheduler = AsyncIOScheduler(timezone="UTC", jobstores={"default": MemoryJobStore()})
        self._synced: tuple[tuple[str, str], ...] = ()
        self._team: TeamView | None = None  # the team as last seen, to notice a new team file
        self.email_lookups = EmailLookups(ctx.sessions, ctx.views, client)

    async def start(self) -> None:
        """Catch up on what fell due while the bot was down, then run on the clock."""
        # People found by email first, so that the first posts already mention them.
        for part, work in (
            ("email lookups", self.look_up_emails),
            ("incident escalation", self.escalate),
            ("scheduled posts", partial(self.run_due, report_missed=True)),
            ("user groups", self.follow_groups),
            ("roster changes", self.tell_roster_changes),
            ("job sync", self.sync),
        ):
            await isolated(part, work, None)
        self.scheduler.add_job(self.tick, IntervalTrigger(seconds=RESYNC.total_seconds()), id="tick")
        self.scheduler.start()

    async def tick(self) -> None:
        """Escalate incidents whose time has come, find in Slack whoever the team file names by email
        only, keep the jobs in step with the store, send anything due that a trigger did not catch,
        point user groups at who is on call, tell people a new team file moved their shifts, and
        close swap requests and volunteer calls past their time."""
        for part, work in (
            ("incident escalation", self.escalate),
            ("email lookups", self.look_up_emails),
            ("job sync", self.sync),
            ("scheduled posts", self.run_due),
            ("user groups", self.follow_groups),
            ("roster changes", self.tell_roster_changes),
            ("swap expiry", lambda: expire_swap_requests(self.ctx, self.client, self.ctx.clock())),
            (
                "volunteer calls",
                lambda: close_expired_volunteer_calls(self.ctx, self.client, self.ctx.clock()),
            ),
        ):
            await isolated(part, work, None)

    def shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)

    async def escalate(self) -> list[int]:
        return await escalate_due(self.ctx, self.client, now=self.ctx.clock())

    async def look_up_emails(self) -> None:
        await self.email_lookups.look_up_missing(now=self.ctx.clock())

    async def _view(self) -> TeamView | None:
        async with self.ctx.sessions() as session:
            try:
                return await self.ctx.views.load(session)
            except NoTeam:
                return None

    async def sync(self) -> None:
        """Rebuild the per-rotation jobs when the rotations changed."""
        view = await self._view()
        if view is None:
            return
        wanted = tuple(sorted((r.name, str(handoff_trigger(r))) for r in view.rotations.values()))
        if wanted == self._synced:
            return
        for job in self.scheduler.get_jobs():
            if job.id.startswith("handoff:"):
                job.remove()
        grace = int(self.grace.total_seconds())
        for rotation in view.rotations.values():
            job_id = f"handoff:{rotation.name}"
            self.scheduler.add_job(
                self.run_due, handoff_trigger(rotation), id=job_id, misfire_grace_time=grace
            )
        self._synced = wanted
        log.info("scheduled handoffs for %s", ", ".join(name for name, _ in wanted) or "no rotation")

    async def tell_roster_changes(self) -> list[str]:
        """Tell the people whose shifts a new team file moved; the first look only remembers the team."""
        now = self.ctx.clock()
        async with self.ctx.sessions() as session:
            try:
                team = await self.ctx.views.load(session)
            except NoTeam:
                return []
            previous, self._team = self._team, team
            # By fingerprint, which leaves out Slack ids: an id found by email is no new team file.
            if previous is None or team_fingerprint(previous) == team_fingerprint(team):
                return []
            posts = await roster_posts(session, old=previous, new=team, at=now)
        return [await self.send(post, now) for post in posts]

    def _parts(self, view: TeamView) -> list[tuple[str, Builder]]:
        settings = self.ctx.settings
        return scheduled_parts(
            view, runbooks_dir=self.ctx.runbooks_dir, business_days=settings.month_end_business_days
        )

    async def run_due(self, *, report_missed: bool = False) -> list[str]:
        """Send every post due within the grace window, part by part; at start-up, also log the
        older ones never sent."""
        now = self.ctx.clock()
        view = await self._view()
        if view is None:
            return []
        outcomes: list[str] = []
        for part, build in self._parts(view):
            outcomes += await isolated(part, partial(self._send_due, build, now), [])
        if report_missed:  # after sending, so that a checklist sent late now is not called skipped
            for part, build in self._parts(view):
                await isolated(f"{part} (missed posts)", partial(self._report_missed, build, now), None)
        return outcomes

    async def _send_due(self, build: Builder, now: datetime) -> list[str]:
        async with self.ctx.sessions() as session:
            due = await build(session, since=now - self.grace, until=now)
            await session.commit()  # month-end checklist items are created with their post
            # Asked every minute while in the grace window: what went out already is skipped at once.
            done = await ledger.sent(session, [p.key for p in due]) if due else set()
        return [("already sent" if p.key in done else await self.send(p, now)) for p in due]

    async def _report_missed(self, build: Builder, now: datetime) -> None:
        async with self.ctx.sessions() as session:
            # Not committed: checklist items are created only for a checklist that goes out.
            posts = await build(session, since=now - LOOKBACK, until=now - self.grace)
            sent = await ledger.sent_keys(session, [p.key for p in posts]) if posts else set()
        missed: dict[str, Post] = {}
        for post in posts:  # a checklist is due on every day of its week until sent: named once
            offered_again = post.last_due is not None and post.last_due > now - self.grace
            if post.key not in sent and not offered_again:
                missed.setdefault(post.key, post)
        for post in missed.values():
            log.warning("skipped %s: due %s, past the grace window", post.key, post.due.isoformat())

    async def follow_groups(self) -> list[str]:
        """Point each rotation's user group at who is on call now, once per change of who that is."""
        now = self.ctx.clock()
        view = await self._view()
        if view is None:
            return []
        async with self.ctx.sessions() as session:
            updates = await current_groups(session, view=view, at=now)
            done = await ledger.sent(session, [u.key for u in updates]) if updates else set()
        return [
            await follow_once(self.ctx.sessions, self.client, update, owner=self.owner, now=now)
            for update in updates
            if update.key not in done
        ]

    async def send(self, post: Post, now: datetime) -> str:
        return await send_post(self.ctx.sessions, self.client, post, owner=self.owner, now=now)
