"""The rituals on a clock: one APScheduler job per rotation's handoff, derived from the store, and
a minute tick for reminders, month-end checklists, incident escalation, telling people a new team
file moved their shifts, finding in Slack by email the people the file gives no Slack id, and anything
a trigger did not catch.

Jobs live in memory only (nothing pickled, nothing a user wrote becomes code) and are rebuilt when
the rotations change. Each run asks which posts fell due within the grace window and sends them
through the ledger, so a run that fires twice, late, or on two replicas still posts each once; a
handoff missed while the bot was down is sent at start-up if it is recent enough, else skipped
with a log line.
"""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.handoff import handoffs_between
from bot.jobs.incidents import escalate_due
from bot.jobs.posts import Post, handoff_post, month_end_posts, reminder_posts, send_post
from bot.jobs.roster import roster_posts, team_fingerprint
from bot.schedule.model import Rotation, Unit
from bot.schedule.rotation import first_handoff_date
from bot.services.email_lookups import EmailLookups
from bot.services.oncall import NoTeam, TeamView
from bot.slack.context import AppContext
from bot.slack.swap_messages import expire_swap_requests
from bot.slack.volunteer_messages import close_expired_volunteer_calls
from bot.store import ledger

log = logging.getLogger(__name__)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RESYNC = timedelta(minutes=1)


def handoff_trigger(rotation: Rotation) -> CronTrigger:
    """Fires at the rotation's handoff wall time in its zone; the engine decides if a shift starts."""
    days = "*" if rotation.unit is Unit.DAILY else WEEKDAYS[first_handoff_date(rotation).weekday()]
    at = rotation.handoff_time
    return CronTrigger(day_of_week=days, hour=at.hour, minute=at.minute, timezone=rotation.timezone)


class Rituals:
    def __init__(self, ctx: AppContext, client: AsyncWebClient, *, grace: timedelta) -> None:
        self.ctx, self.client, self.grace = ctx, client, grace
        self.owner = f"{socket.gethostname()}:{id(self)}"
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._synced: tuple[tuple[str, str], ...] = ()
        self._team: TeamView | None = None  # the team as last seen, to notice a new team file
        self.email_lookups = EmailLookups(ctx.sessions, ctx.views, client)

    async def start(self) -> None:
        # People found by email first, so that the first posts already mention them.
        await self.email_lookups.look_up_missing(now=self.ctx.clock())
        await self.run_due(report_missed=True)
        await self.tell_roster_changes()
        await self.sync()
        self.scheduler.add_job(self.tick, IntervalTrigger(seconds=RESYNC.total_seconds()), id="tick")
        self.scheduler.start()

    async def tick(self) -> None:
        """Find in Slack whoever the team file names by email only, keep the jobs in step with the
        store, send anything due that a trigger did not catch, escalate incidents whose time has come,
        and close swap requests and volunteer calls past theirs."""
        await self.email_lookups.look_up_missing(now=self.ctx.clock())
        await self.sync()
        await self.run_due()
        await self.tell_roster_changes()
        await escalate_due(self.ctx, self.client, now=self.ctx.clock())
        await expire_swap_requests(self.ctx, self.client, self.ctx.clock())
        await close_expired_volunteer_calls(self.ctx, self.client, self.ctx.clock())

    def shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)

    async def sync(self) -> None:
        """Rebuild the per-rotation jobs when the rotations changed."""
        async with self.ctx.sessions() as session:
            try:
                view = await self.ctx.views.load(session)
            except NoTeam:
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

    async def run_due(self, *, report_missed: bool = False) -> list[str]:
        """Send every handoff due within the grace window; at start-up, log older ones never sent."""
        now = self.ctx.clock()
        async with self.ctx.sessions() as session:
            try:
                view = await self.ctx.views.load(session)
            except NoTeam:
                return []
            due = await self._due(session, view, since=now - self.grace, until=now)
            await session.commit()  # month-end checklist items are created with their post
            if report_missed:
                await self._report_missed(session, view, now)
        return [await self.send(post, now) for post in due]

    async def _due(
        self, session: AsyncSession, view: TeamView, *, since: datetime, until: datetime
    ) -> list[Post]:
        handoffs = await handoffs_between(session, view=view, since=since, until=until)
        reminders = await reminder_posts(session, view=view, since=since, until=until)
        month_end = await month_end_posts(
            session,
            view=view,
            runbooks_dir=self.ctx.runbooks_dir,
            business_days=self.ctx.settings.month_end_business_days,
            since=since,
            until=until,
        )
        return [handoff_post(h, view.people) for h in handoffs] + reminders + month_end

    async def _report_missed(self, session: AsyncSession, view: TeamView, now: datetime) -> None:
        week_before = now - timedelta(days=8)
        missed = await handoffs_between(session, view=view, since=week_before, until=now - self.grace)
        sent = await ledger.sent_keys(session, [h.key for h in missed])
        for handoff in missed:
            if handoff.key not in sent:
                log.warning("skipped %s: due %s, past the grace window", handoff.key, handoff.at.isoformat())

    async def send(self, post: Post, now: datetime) -> str:
        return await send_post(self.ctx.sessions, self.client, post, owner=self.owner, now=now)
