"""The buttons on an incident's root message: Acknowledge, Escalate, Resolve (a modal) and Reopen.

Anyone may declare an incident; only members of the team may change one, and others are told why.
Each change is a compare-and-set in the store, then the thread and the root message follow.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import AppContext
from bot.core.incidents.model import Incident
from bot.delivery.incidents import deliver, permalink
from bot.features.incidents import service as incidents
from bot.features.oncall import people
from bot.features.oncall.views import TeamView
from bot.messages.common import escape
from bot.messages.ids import ActionId, matching
from bot.messages.incident_modals import resolve_modal
from bot.messages.incidents import DeclareAnyway, IncidentButton, JoinButton
from bot.slack.commands.incident import declare_and_answer
from bot.slack.failures import after_ack

VERBS = {
    ActionId.ACK_INCIDENT: "acknowledge",
    ActionId.ESCALATE_INCIDENT: "escalate",
    ActionId.RESOLVE_INCIDENT: "resolve",
    ActionId.REOPEN_INCIDENT: "reopen",
}


async def _tell(respond: AsyncRespond, text: str) -> None:
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def change(
    ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, action: ActionId
) -> None:
    """Apply one button's change for a team member, then post it; anyone else is told why not."""
    pressed = IncidentButton.read(str(body["actions"][0].get("value", "")))
    if pressed is None:
        await _tell(respond, "This button is not one of ours.")
        return
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, body["user"]["id"])
        if person is None:
            await _tell(respond, f"Only members of the team can {VERBS[action]} an incident.")
            return
        try:
            if action is ActionId.RESOLVE_INCIDENT:
                await _ask_resolution(session, client, body, pressed.incident)
                return
            done = await CHANGES[action](session, view, person.id, pressed, ctx)
        except incidents.IncidentRefused as refused:
            await _tell(respond, escape(str(refused)))
            return
    await deliver(ctx, client, done.id, now=ctx.clock())


async def _ask_resolution(
    session: AsyncSession, client: AsyncWebClient, body: dict[str, Any], number: int
) -> None:
    incident = await incidents.find(session, number)
    if incident is None or not incident.is_open:
        raise incidents.IncidentRefused(f"Incident #{number} is not open.")
    await client.views_open(trigger_id=body["trigger_id"], view=resolve_modal(number, incident.summary))


async def _acknowledge(
    session: AsyncSession, view: TeamView, person: str, pressed: IncidentButton, ctx: AppContext
) -> Incident:
    return await incidents.acknowledge(
        session, incident_id=pressed.incident, person=person, at=ctx.clock(), source=ctx.source
    )


async def _escalate(
    session: AsyncSession, view: TeamView, person: str, pressed: IncidentButton, ctx: AppContext
) -> Incident:
    """The next level after the one the clicked message showed: a second click calls nobody more."""
    return await incidents.escalate(
        session,
        view=view,
        incident_id=pressed.incident,
        person=person,
        at=ctx.clock(),
        seen_level=pressed.level,
        source=ctx.source,
    )


async def _reopen(
    session: AsyncSession, view: TeamView, person: str, pressed: IncidentButton, ctx: AppContext
) -> Incident:
    return await incidents.reopen(
        session, incident_id=pressed.incident, person=person, at=ctx.clock(), source=ctx.source
    )


async def join_pressed(
    ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
) -> None:
    """`Join #N`: the second declarer's words go to the open incident's thread; no second incident."""
    try:
        pressed = JoinButton.model_validate_json(str(body["actions"][0].get("value", "")))
    except ValidationError:
        await _tell(respond, "This button is not one of ours.")
        return
    slack_user = body["user"]["id"]
    async with ctx.sessions() as session:
        view = await ctx.views.load(session)
        person = people.person_by_slack_id(view, slack_user)
        try:
            joined = await incidents.join(
                session,
                incident_id=pressed.incident,
                person=person.id if person else slack_user,
                note=pressed.note,
                at=ctx.clock(),
                source=ctx.source,
            )
        except incidents.IncidentRefused as refused:
            await _tell(respond, escape(str(refused)))
            return
    await deliver(ctx, client, joined.id, now=ctx.clock())
    link = await permalink(client, joined)
    where = f" <{link}|Open its thread>." if link else ""
    await respond(
        text=f"You joined incident #{joined.id}: what you saw is in its thread.{where}",
        response_type="ephemeral",
        replace_original=True,
    )


async def declare_pressed(
    ctx: AppContext, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
) -> None:
    """`Declare a new one`: the declaration as typed, once however often it is pressed."""
    try:
        anyway = DeclareAnyway.model_validate_json(str(body["actions"][0].get("value", "")))
    except ValidationError:
        await _tell(respond, "This button is not one of ours.")
        return

    async def say(blocks: list[dict[str, Any]], text: str) -> None:
        await respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=True)

    await declare_and_answer(ctx, say, respond, client, anyway=anyway, slack_user=body["user"]["id"])


CHANGES = {
    ActionId.ACK_INCIDENT: _acknowledge,
    ActionId.ESCALATE_INCIDENT: _escalate,
    ActionId.REOPEN_INCIDENT: _reopen,
}


def register(app: AsyncApp, ctx: AppContext) -> None:
    def listen(action: ActionId) -> None:
        @app.action(matching(action))
        async def incident_button(
            ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
        ) -> None:
            await ack()
            await after_ack(body, respond, change(ctx, body, client, respond, action))

    for action in VERBS:
        listen(action)

    @app.action(matching(ActionId.JOIN_INCIDENT))
    async def join_button(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await join_pressed(ctx, body, client, respond)

    @app.action(matching(ActionId.DECLARE_ANYWAY))
    async def declare_button(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await declare_pressed(ctx, body, client, respond)
