"""Finding in Slack, by email, the people the team file gives no Slack id.

Each answer is kept in the store and merged into the team view (`load_view`), so that such a person
is mentioned, reminded and put in user groups like everyone else, while the team file stays as
written. Slack is asked once per email: again only when the file names a new email, or a day after
it knew nobody by that email.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.slack_api import CALL_ERRORS, failure_reason
from bot.features.oncall.views import NoTeam, TeamViews
from bot.store.email_lookups import email_lookups, record_lookup
from bot.store.team import bump_revision

log = logging.getLogger(__name__)

# Someone Slack does not know yet is asked about again after this, not at every tick.
ASK_AGAIN_AFTER = timedelta(days=1)


class EmailLookups:
    """Asks Slack's users.lookupByEmail for the people missing a Slack id and keeps the answers."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], views: TeamViews, client: AsyncWebClient
    ) -> None:
        self.sessions, self.views, self.client = sessions, views, client
        self._scope_reported = False

    async def look_up_missing(self, *, now: datetime) -> None:
        """Ask about every email due and keep the answers; a failure is logged and ends this round."""
        due = await self._due(now)
        answers: dict[str, str | None] = {}
        for email, person in due.items():
            try:
                answers[email] = await self._ask(email)
            except CALL_ERRORS as error:
                # Whatever failed (the scope, the rate limit, Slack itself) fails the rest alike.
                self._report(error)
                break
            if answers[email]:
                log.info("found %s in Slack by email: %s", person, answers[email])
            else:
                log.info("no Slack user has %s's email; asking again in a day", person)
        if answers:
            await self._keep(answers, now)

    async def _due(self, now: datetime) -> dict[str, str]:
        """The emails to ask about now, each with the id of the person who has it."""
        async with self.sessions() as session:
            try:
                view = await self.views.load(session)
            except NoTeam:
                return {}
            # The view carries the ids found before: whoever still lacks one is not found yet.
            missing = {p.email: p.id for p in view.file.people if p.email and p.slack_id is None}
            known = await email_lookups(session) if missing else {}
        return {
            email: person
            for email, person in sorted(missing.items())
            if email not in known
            or (known[email].slack_id is None and now - known[email].looked_up_at >= ASK_AGAIN_AFTER)
        }

    async def _ask(self, email: str) -> str | None:
        """The Slack id of the user with this email, or None when Slack knows nobody by it."""
        try:
            answer = await self.client.users_lookupByEmail(email=email)
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                return None
            raise
        return str(answer["user"]["id"])

    async def _keep(self, answers: dict[str, str | None], now: datetime) -> None:
        async with self.sessions() as session:
            for email, slack_id in answers.items():
                await record_lookup(session, email=email, slack_id=slack_id, at=now)
            if any(answers.values()):
                await bump_revision(session)  # every replica reloads its team with the ids found
            await session.commit()
        self.views.invalidate()

    def _report(self, error: Exception) -> None:
        # repr: a lost connection or a timeout may have no text
        reason = failure_reason(error) if isinstance(error, SlackApiError) else repr(error)
        if reason == "missing_scope":
            if not self._scope_reported:
                log.warning(
                    "cannot find people in Slack by email: the app lacks the users:read.email scope; "
                    "add it and users:read (manifest.yml lists both) and reinstall the app"
                )
            self._scope_reported = True
            return
        log.warning("could not find people in Slack by email (%s); trying again later", reason)
