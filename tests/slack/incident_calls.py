"""What the fake Slack received of incidents: root messages, their threads, and the buttons on them."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from tests.incidents.fixtures import lines
from tests.slack.blocks_check import text_of
from tests.slack.conftest import BOB, CAROL, SlackDriver, wait_for
from tests.slack.fakeslack import Call

SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")  # a post there is a direct message


def roots(slack: SlackDriver) -> list[Call]:
    """The posts in channels that start no thread reply: incidents' root messages."""
    posts = slack.fake.of("chat.postMessage")
    return [c for c in posts if not c.args.get("thread_ts") and not SLACK_USER.match(c.args["channel"])]


def direct(slack: SlackDriver) -> dict[str, list[str]]:
    """The direct messages the bot sent: person's Slack id -> what each showed."""
    said: dict[str, list[str]] = {}
    for call in slack.fake.of("chat.postMessage"):
        if SLACK_USER.match(call.args["channel"]):
            said.setdefault(call.args["channel"], []).append(" ".join(lines(call.args.get("blocks") or [])))
    return said


def thread(slack: SlackDriver) -> list[Call]:
    return [c for c in slack.fake.of("chat.postMessage") if c.args.get("thread_ts")]


def thread_text(slack: SlackDriver) -> str:
    return "\n".join(
        text_of(c.args["blocks"]) if c.args.get("blocks") else c.args["text"] for c in thread(slack)
    )


def thread_shown(slack: SlackDriver) -> str:
    """The thread as its blocks show it, a line per message, without the invisible joiners."""
    return "\n".join(" ".join(lines(c.args["blocks"])) for c in thread(slack))


def button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    return next(
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == label
    )


def latest_root(slack: SlackDriver) -> list[dict[str, Any]]:
    updates = slack.fake.of("chat.update")
    return updates[-1].args["blocks"] if updates else roots(slack)[-1].args["blocks"]


async def declared(slack: SlackDriver, text: str, *, user: str = CAROL) -> None:
    """Declare by command and wait until its thread is posted (the declarer's link comes last)."""
    links = len(slack.fake.of("response:cmd"))
    answer = await slack.command("/incident", text, user=user)
    assert "declared; posting its thread in #data-oncall." in text_of(answer)
    await wait_for(lambda: len(slack.fake.of("response:cmd")) > links)


async def press(slack: SlackDriver, label: str, *, user: str = BOB, count: int = 1) -> None:
    target = button(latest_root(slack), label)
    statuses = await asyncio.gather(
        *(slack.press(target["action_id"], target["value"], user=user) for _ in range(count))
    )
    assert set(statuses) == {200}
