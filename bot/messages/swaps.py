"""Block Kit for swaps: the request with its buttons, what each decision says, and `/swap list`.

Times go out as Slack date tokens, so each reader sees them in their own time zone; `zone` is only the
fallback for clients that cannot show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from bot.core.swap_plan import Change
from bot.core.team import Person
from bot.messages.common import actions, button, context, escape, section
from bot.messages.ids import ActionId
from bot.messages.oncall import who
from bot.messages.timefmt import slack_time, span
from bot.store.swaps import SwapRequest

Blocks = list[dict[str, Any]]
People = Mapping[str, Person]

HELP = """\
*`/swap`* — hand a shift to a teammate, or trade one with them. They get Approve / Decline buttons.
• `/swap` — a form: the teammate, one of your shifts, one of theirs or cover only, part of it, a reason
• `/swap @bob 2026-12-14 [reason]` — trade your shift on that date for Bob's next shift
• `/swap @bob 2026-12-14 cover [reason]` — Bob takes your shift
• `/swap @bob 2026-12-14..2026-12-16 cover` — only those days of your shift
• `/swap @bob 2026-12-14T09:00..2026-12-14T18:00 cover` — only those hours (in your time zone)
• `/swap list` — requests you made and those waiting for you; admins: `/swap list all` for everyone's
• `/swap cancel <id>` — withdraw your request; admins: cancel anyone's, or reverse an applied swap
A request expires when the earliest shift in it starts."""


class SwapButton(BaseModel):
    """The value of Approve and Decline: which request."""

    swap: int


def change_lines(changes: Sequence[Change], people: People, zone: str) -> str:
    return "\n".join(
        f"• {who(c.person, people)} becomes {c.role.value} {span(c.span.start, c.span.end, zone)}, "
        f"instead of {who(c.instead_of, people)}"
        for c in changes[:20]
    )


def what(swap: SwapRequest, people: People, zone: str) -> str:
    """The request in one line, from the times it names."""
    requester, teammate = who(swap.requester, people), who(swap.teammate, people)
    give = span(swap.give_start, swap.give_end, zone)
    if swap.mode == "cover" or swap.take_start is None or swap.take_end is None:
        return f"{teammate} covers {requester}'s time {give}"
    return f"{requester}'s time {give} for {teammate}'s time {span(swap.take_start, swap.take_end, zone)}"


def back_from(swap: SwapRequest, zone: str) -> str:
    """When a reversed swap stopped counting: when it was reversed, or its start if that came later."""
    start = min(s for s, _ in swap.spans)
    return slack_time(max(swap.decided_at or start, start), zone)


def _reason(swap: SwapRequest) -> str:
    return f"\n*Reason:* {escape(swap.reason)}" if swap.reason else ""


def request_blocks(swap: SwapRequest, changes: Sequence[Change], people: People, zone: str) -> Blocks:
    """The teammate's direct message, with Approve and Decline."""
    asks = "to trade shifts with you" if swap.mode == "exchange" else "you to cover for them"
    value = SwapButton(swap=swap.id).model_dump_json()
    return [
        section(
            f":arrows_counterclockwise: {who(swap.requester, people)} asks {asks} (request #{swap.id}). "
            f"If you approve:\n{change_lines(changes, people, zone)}{_reason(swap)}"
        ),
        context(
            f"Answer before {slack_time(swap.expires_at, zone)}: "
            "the request expires when its first shift starts."
        ),
        actions(
            button("Approve", ActionId.APPROVE_SWAP, value, style="primary"),
            button("Decline", ActionId.DECLINE_SWAP, value, style="danger"),
        ),
    ]


def decided_blocks(swap: SwapRequest, people: People, zone: str, changes: Sequence[Change] = ()) -> Blocks:
    """The teammate's request message once it is closed: no buttons left, only what happened."""
    requester, by = who(swap.requester, people), who(swap.decided_by, people)
    match swap.state:
        case "approved":
            done = (
                f":white_check_mark: You approved swap #{swap.id} with {requester}. The schedule now shows it"
            )
            lines = change_lines(changes, people, zone) if changes else f"• {what(swap, people, zone)}"
            return [section(f"{done}:\n{lines}")]
        case "declined":
            text = (
                f":no_entry_sign: You declined swap request #{swap.id} from {requester}; they have been told"
            )
        case "expired":
            text = f":hourglass: Swap request #{swap.id} from {requester} expired: its first shift started"
        case "cancelled":
            text = f":wastebasket: Swap request #{swap.id} was cancelled by {by}"
        case "reversed":
            text = f":leftwards_arrow_with_hook: Swap #{swap.id} was reversed by {by}"
            after = f"The schedule is back as before the swap from {back_from(swap, zone)}."
            return [section(f"{text}.\n~{what(swap, people, zone)}~"), context(after)]
        case _:
            text = f"Swap request #{swap.id} is {swap.state}"
    return [section(f"{text}.\n~{what(swap, people, zone)}~"), context("Nothing changed in the schedule.")]


def requested_blocks(swap: SwapRequest, changes: Sequence[Change], people: People, zone: str) -> Blocks:
    """The requester's answer: asked, what would change, how to withdraw."""
    return [
        section(
            f":outbox_tray: Asked {who(swap.teammate, people)} (request #{swap.id}). If they approve:\n"
            f"{change_lines(changes, people, zone)}"
        ),
        context(
            f"It expires {slack_time(swap.expires_at, zone)} if nobody answers. "
            f"`/swap cancel {swap.id}` withdraws it."
        ),
    ]


def unreached_blocks(swap: SwapRequest, people: People, zone: str, why: str) -> Blocks:
    """To the requester, when the teammate's request message could not be delivered."""
    return [
        section(
            f":warning: Your swap request #{swap.id} could not reach {who(swap.teammate, people)}: {why}."
        ),
        context(
            f"It stays pending until {slack_time(swap.expires_at, zone)}: they can still answer it from "
            f"`/swap list` or the bot's Home tab. `/swap cancel {swap.id}` withdraws it."
        ),
    ]


def approved_blocks(swap: SwapRequest, changes: Sequence[Change], people: People, zone: str) -> Blocks:
    """To the requester and the rotation channel: what the approved swap changed."""
    between = f"{who(swap.requester, people)} and {who(swap.teammate, people)}"
    return [
        section(
            f":arrows_counterclockwise: Swap #{swap.id} between {between} is approved:\n"
            f"{change_lines(changes, people, zone)}"
        )
    ]


def declined_blocks(swap: SwapRequest, people: People, zone: str) -> Blocks:
    return [
        section(
            f":no_entry_sign: {who(swap.teammate, people)} declined your swap request #{swap.id}; "
            f"nothing changed.\n~{what(swap, people, zone)}~"
        )
    ]


def expired_blocks(swap: SwapRequest, people: People, zone: str) -> Blocks:
    return [
        section(
            f":hourglass: Your swap request #{swap.id} to {who(swap.teammate, people)} expired: its first "
            f"shift started before they answered. Nothing changed.\n~{what(swap, people, zone)}~"
        )
    ]


def reversed_blocks(swap: SwapRequest, people: People, zone: str) -> Blocks:
    """To both people and the channel: an admin undid an applied swap."""
    return [
        section(
            f":leftwards_arrow_with_hook: {who(swap.decided_by, people)} reversed swap #{swap.id}; "
            f"the schedule is back as before it from {back_from(swap, zone)}.\n~{what(swap, people, zone)}~"
        )
    ]


def _listed(swap: SwapRequest, people: People, zone: str) -> str:
    return f"• #{swap.id} ({swap.state}): {what(swap, people, zone)}"


def list_blocks(
    mine: Sequence[SwapRequest], waiting: Sequence[SwapRequest], people: People, zone: str
) -> Blocks:
    """`/swap list`: my requests, then those waiting for my answer, each with its buttons."""
    if not mine and not waiting:
        return [section("No swap requests of yours are open, and none wait for you. `/swap help` shows how.")]
    blocks: Blocks = []
    if mine:
        lines = "\n".join(_listed(s, people, zone) for s in mine[:20])
        blocks.append(section(f"*Your requests*\n{lines}"))
    if waiting:
        blocks.append(section("*Waiting for your answer*"))
        for swap in waiting[:10]:
            value = SwapButton(swap=swap.id).model_dump_json()
            blocks += [
                section(_listed(swap, people, zone) + _reason(swap)),
                actions(
                    button("Approve", ActionId.APPROVE_SWAP, value, style="primary"),
                    button("Decline", ActionId.DECLINE_SWAP, value, style="danger"),
                ),
            ]
    return blocks


def everyone_blocks(swaps: Sequence[SwapRequest], people: People, zone: str) -> Blocks:
    """`/swap list all` for admins: every pending and applied swap not over yet, with its id."""
    pending = [s for s in swaps if s.state == "pending"]
    applied = [s for s in swaps if s.state == "approved"]
    if not swaps:
        return [section("No swap is pending, and no applied swap has time left.")]
    blocks: Blocks = []
    for title, found in (("Pending", pending), ("Applied", applied)):
        if found:
            lines = "\n".join(_listed(s, people, zone) for s in found[:40])
            blocks.append(section(f"*{title}*\n{lines}"))
    return [*blocks, context("`/swap cancel <id>` withdraws a pending request or reverses an applied swap.")]


def waiting_line(swap: SwapRequest, people: People, zone: str) -> str:
    """A request waiting for my answer, as App Home lists it."""
    return (
        f":arrows_counterclockwise: Swap request #{swap.id} from {who(swap.requester, people)}: "
        f"{what(swap, people, zone)}. `/swap list` to answer."
    )


def help_blocks() -> Blocks:
    return [section(HELP)]


def usage_blocks(message: str) -> Blocks:
    return [section(f":thinking_face: {message}"), context("Type `/swap help` for everything `/swap` does.")]
