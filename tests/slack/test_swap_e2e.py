"""`/swap` end to end through the HTTP endpoint: what Slack receives, and what the schedule says after."""

from __future__ import annotations

import asyncio
import io
import json
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk.models.views import View
from sqlalchemy import event

from bot.context import AppContext
from bot.core.schedule.model import Reason
from bot.delivery.slack_api import make_client
from bot.delivery.swaps import expire_swap_requests
from bot.features.oncall.views import on_call
from bot.jobs.scheduler import Rituals
from bot.settings import Settings
from bot.shell import run_shell
from bot.store.swaps import get_request
from tests.slack.blocks_check import assert_valid_blocks, text_of
from tests.slack.conftest import ALICE, BOB, CAROL, DAVID, NY, SlackDriver, wait_for
from tests.slack.fakeslack import Call
from tests.slack.team_edits import living_in

STRANGER = "U0STRANGER"
# Wednesday of David's primary week (Alice backup); then Alice/Bob, Bob/Carol, Carol/David, David/Alice.
NOW = datetime(2027, 2, 24, 12, tzinfo=NY)
ALICE_WEEK = datetime(2027, 3, 2, 12, tzinfo=NY)  # Alice primary, Bob backup
BOB_WEEK = datetime(2027, 3, 9, 12, tzinfo=NY)  # Bob primary, Carol backup
FIRST_SHIFT = datetime(2027, 3, 1, 9, tzinfo=NY)


@pytest.fixture
def now() -> datetime:
    return NOW


def messages(slack: SlackDriver, text: str) -> list[Call]:
    return [c for c in slack.fake.of("chat.postMessage") if c.args.get("text") == text]


def ephemeral(slack: SlackDriver) -> list[str]:
    return [c.args["text"] for c in slack.fake.of("response:action")]


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


async def holders(ctx: AppContext, at: datetime) -> tuple[str | None, str | None, Reason]:
    async with ctx.sessions() as session:
        [current] = await on_call(session, at=at)
    assert current.primary is not None and current.backup is not None
    return current.primary.person, current.backup.person, current.primary.reason


async def remembered(ctx: AppContext, swap_id: int = 1) -> None:
    """Wait until the request message's place is stored (right after it is sent)."""
    for _ in range(300):
        async with ctx.sessions() as session:
            swap = await get_request(session, swap_id)
        if swap is not None and swap.dm_ts:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the request message was never stored")


async def requested(
    slack: SlackDriver, ctx: AppContext, text: str, *, user: str = ALICE, teammate: str = CAROL
) -> Call:
    """Ask by text form; the teammate's direct message with its buttons, once its place is stored."""
    answer = await slack.command("/swap", text, user=user)
    assert_valid_blocks(answer["blocks"])
    assert "Asked" in text_of(answer), answer
    await wait_for(lambda: any(c.args["channel"] == teammate for c in slack.fake.of("chat.postMessage")))
    [dm] = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == teammate]
    assert_valid_blocks(dm.args["blocks"])
    await remembered(ctx)
    return dm


async def press(slack: SlackDriver, dm: Call, label: str, *, user: str = CAROL) -> None:
    target = buttons(dm.args["blocks"])[label]
    assert await slack.press(target["action_id"], target["value"], user=user) == 200


async def test_request_and_approve(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"/swap <@{CAROL}|carol> 2027-03-01 family visit".removeprefix("/swap "))
    text = text_of(dm.args)
    assert "<@U0ALICE01> asks to trade shifts with you (request #1)" in text
    assert "family visit" in text and "<!date^" in text  # shown in Carol's own time zone by Slack
    await press(slack, dm, "Approve")
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    [update] = slack.fake.of("chat.update")
    assert update.args["channel"] == CAROL and update.args["ts"] == "1700000000.000001"
    assert "You approved swap #1" in text_of(update.args) and not buttons(update.args["blocks"])
    assert sorted(c.args["channel"] for c in messages(slack, "Swap approved")) == ["#data-oncall", ALICE]
    # Alice's primary week goes to Carol; Carol's backup week goes to Alice.
    assert await holders(ctx, ALICE_WEEK) == ("carol", "bob", Reason.SWAP)
    assert (await holders(ctx, BOB_WEEK))[:2] == ("bob", "alice")
    history = text_of(await slack.command("/oncall", "history 2", user=BOB))
    assert "swap.approve `swap #1`" in history and "swap.request `swap #1`" in history
    # The calendar feed shows the swap too.
    links = text_of(await slack.command("/oncall", "calendar", user=CAROL))
    [path] = re.findall(r"https://oncall\.example\.com(/calendar/[\w-]+\.ics)", links)[:1]
    feed = await (await slack.http.get(path)).text()
    assert "swap #1 with Alice" in feed


async def test_decline_tells_the_requester_and_changes_nothing(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01")
    await press(slack, dm, "Decline")
    await wait_for(lambda: bool(messages(slack, "Swap declined")))
    [told] = messages(slack, "Swap declined")
    assert told.args["channel"] == ALICE and "declined your swap request #1" in text_of(told.args)
    assert "You declined" in text_of(slack.fake.of("chat.update")[0].args)
    assert await holders(ctx, ALICE_WEEK) == ("alice", "bob", Reason.ROTATION)
    assert not [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == "#data-oncall"]


async def test_cancel_then_a_late_click(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    answer = await slack.command("/swap", "cancel 1", user=BOB)
    assert "is not yours; only admins cancel" in text_of(answer)
    answer = await slack.command("/swap", "cancel #1", user=ALICE)
    assert "Cancelled swap request #1" in text_of(answer)
    await wait_for(lambda: bool(slack.fake.of("chat.update")))
    assert "was cancelled by <@U0ALICE01>" in text_of(slack.fake.of("chat.update")[0].args)
    await press(slack, dm, "Approve")
    await wait_for(lambda: bool(ephemeral(slack)))
    assert ephemeral(slack) == ["Swap request #1 is cancelled; it can no longer be approved or declined."]
    assert await holders(ctx, ALICE_WEEK) == ("alice", "bob", Reason.ROTATION)


async def test_expiry_updates_the_request_and_tells_the_requester(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    client = make_client(settings)
    assert await expire_swap_requests(ctx, client, FIRST_SHIFT - timedelta(minutes=1)) == []
    assert await expire_swap_requests(ctx, client, FIRST_SHIFT) == [1]
    assert await expire_swap_requests(ctx, client, FIRST_SHIFT) == []  # once
    [update] = slack.fake.of("chat.update")
    assert "expired: its first shift started" in text_of(update.args) and not buttons(update.args["blocks"])
    [told] = messages(slack, "Swap request expired")
    assert told.args["channel"] == ALICE
    await press(slack, dm, "Approve")
    await wait_for(lambda: bool(ephemeral(slack)))
    assert ephemeral(slack) == ["Swap request #1 is expired; it can no longer be approved or declined."]


async def test_a_click_after_the_start_expires_it_there_and_then(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    object.__setattr__(ctx, "clock", lambda: FIRST_SHIFT + timedelta(hours=1))
    await press(slack, dm, "Approve")
    await wait_for(lambda: bool(messages(slack, "Swap request expired")))
    assert "is expired" in ephemeral(slack)[0]
    assert "expired" in text_of(slack.fake.of("chat.update")[0].args)
    assert await holders(ctx, ALICE_WEEK) == ("alice", "bob", Reason.ROTATION)


@pytest.mark.parametrize("stranger", [BOB, DAVID, STRANGER])
async def test_only_the_teammate_may_answer(slack: SlackDriver, ctx: AppContext, stranger: str) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    for label in ("Approve", "Decline"):
        await press(slack, dm, label, user=stranger)
    await wait_for(lambda: len(ephemeral(slack)) == 2)
    assert all("this request isn't yours" in text.lower() for text in ephemeral(slack))
    assert slack.fake.of("chat.update") == []
    assert await holders(ctx, ALICE_WEEK) == ("alice", "bob", Reason.ROTATION)


async def test_a_double_click_applies_once(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01")
    target = buttons(dm.args["blocks"])["Approve"]
    statuses = await asyncio.gather(
        *(slack.press(target["action_id"], target["value"], user=CAROL) for _ in range(2))
    )
    assert statuses == [200, 200]
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2 and len(ephemeral(slack)) == 1)
    assert ephemeral(slack) == ["Swap request #1 is approved; it can no longer be approved or declined."]
    assert len(slack.fake.of("chat.update")) == 1
    listed = text_of(await slack.command("/oncall", "schedule 3", user=ALICE))
    assert listed.count("swap #1 with") == 2  # Carol in Alice's week, Alice in Carol's: one override each


async def test_approve_racing_decline_ends_one_way(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01")
    approve, decline = buttons(dm.args["blocks"])["Approve"], buttons(dm.args["blocks"])["Decline"]
    await asyncio.gather(
        slack.press(approve["action_id"], approve["value"], user=CAROL),
        slack.press(decline["action_id"], decline["value"], user=CAROL),
    )
    await wait_for(lambda: len(ephemeral(slack)) == 1)
    [lost] = ephemeral(slack)
    won = "approved" if "is approved" in lost else "declined"
    await wait_for(lambda: bool(messages(slack, f"Swap {won}")))
    assert not messages(slack, "Swap declined" if won == "approved" else "Swap approved")
    expected = ("carol", "bob", Reason.SWAP) if won == "approved" else ("alice", "bob", Reason.ROTATION)
    assert await holders(ctx, ALICE_WEEK) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f"<@{BOB}|bob> 2027-03-01 cover", "Bob would be primary and backup at once"),
        (f"<@{CAROL}|carol> 2027-02-25 cover", "has already started"),
        (f"<@{CAROL}|carol> 2027-02-28..2027-03-01 cover", "has already started"),
        (f"<@{STRANGER}|zed> 2027-03-01", "is not in the team file"),
        (f"<@{CAROL}|carol> 2027-03-10", "You have no shift on 2027-03-10"),
        (f"<@{CAROL}|carol> 2027-03-09..2027-03-02", "comes before the start"),
        (f"<@{CAROL}|carol> 9999-12-31", "in the years 1970 to 2200"),
        ("cancel 3000000000", "Usage: `/swap cancel &lt;id&gt;`"),
        ("cancel 100000000000000000000", "Usage: `/swap cancel &lt;id&gt;`"),
        ("2027-03-01", "Start with the teammate"),
        ("@nobody 2027-03-01", "There is no teammate called `@nobody` in the team file."),
        ("@Carl 2027-03-01", "Did you mean Carol (`carol`)?"),
        (f"<@{CAROL}|carol> soon", "is not a date"),
    ],
)
async def test_bad_requests_are_refused_with_the_reason(slack: SlackDriver, text: str, says: str) -> None:
    answer = await slack.command("/swap", text, user=ALICE)
    assert_valid_blocks(answer["blocks"])
    assert says in text_of(answer)
    assert slack.fake.of("chat.postMessage") == []


@pytest.mark.parametrize("typed", ["@Carol", "carol"])
async def test_a_teammate_typed_as_text_is_found_by_name(
    slack: SlackDriver, ctx: AppContext, typed: str
) -> None:
    # Slack sends `@Carol` as plain text when it was typed rather than picked from the list.
    await requested(slack, ctx, f"{typed} 2027-03-01 cover")


async def test_a_pending_request_blocks_another_over_the_same_time(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    answer = await slack.command("/swap", f"<@{DAVID}|david> 2027-03-01 cover", user=ALICE)
    assert "overlaps swap request #1 between Alice and Carol" in text_of(answer)


async def test_list_shows_mine_and_what_waits_for_me(slack: SlackDriver, ctx: AppContext) -> None:
    await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    mine = await slack.command("/swap", "list", user=ALICE)
    assert "*Your requests*" in text_of(mine) and "#1 (pending)" in text_of(mine)
    waiting = await slack.command("/swap", "list", user=CAROL)
    assert_valid_blocks(waiting["blocks"])
    assert "Waiting for your answer" in text_of(waiting) and set(buttons(waiting["blocks"])) == {
        "Approve",
        "Decline",
    }
    assert "No swap requests" in text_of(await slack.command("/swap", "list", user=BOB))


async def test_admin_reverses_an_applied_swap(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{DAVID}|david> 2027-03-08 cover", user=BOB, teammate=DAVID)
    await press(slack, dm, "Approve", user=DAVID)
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    assert await holders(ctx, BOB_WEEK) == ("david", "carol", Reason.SWAP)
    assert "ask an admin" in text_of(await slack.command("/swap", "cancel 1", user=BOB))
    answer = await slack.command("/swap", "cancel 1", user=ALICE)
    assert "Reversed swap #1" in text_of(answer)
    await wait_for(lambda: len(messages(slack, "Swap reversed")) == 3)
    assert sorted(c.args["channel"] for c in messages(slack, "Swap reversed")) == ["#data-oncall", BOB, DAVID]
    assert await holders(ctx, BOB_WEEK) == ("bob", "carol", Reason.ROTATION)
    history = text_of(await slack.command("/oncall", "history 1", user=BOB))
    assert "swap.reverse `swap #1`" in history and "overrides none ended then, #1 removed" in history
    update = slack.fake.of("chat.update")[-1]
    assert "was reversed by <@U0ALICE01>" in text_of(update.args)
    assert "back as before the swap from <!date^" in text_of(update.args)
    assert "Nothing changed" not in text_of(update.args)


async def test_admin_reverses_a_swap_under_way_and_the_past_stays(
    slack: SlackDriver, ctx: AppContext
) -> None:
    dm = await requested(slack, ctx, f"<@{DAVID}|david> 2027-03-08 cover", user=BOB, teammate=DAVID)
    await press(slack, dm, "Approve", user=DAVID)
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    halfway = datetime(2027, 3, 10, 12, tzinfo=NY)
    object.__setattr__(ctx, "clock", lambda: halfway)
    assert "Reversed swap #1" in text_of(await slack.command("/swap", "cancel 1", user=ALICE))
    await wait_for(lambda: len(messages(slack, "Swap reversed")) == 3)
    since = f"back as before it from <!date^{int(halfway.timestamp())}^"
    assert all(since in text_of(c.args) for c in messages(slack, "Swap reversed"))
    assert await holders(ctx, datetime(2027, 3, 9, 12, tzinfo=NY)) == ("david", "carol", Reason.SWAP)
    assert await holders(ctx, datetime(2027, 3, 11, 12, tzinfo=NY)) == ("bob", "carol", Reason.ROTATION)


def view_submission(view: dict[str, Any], values: dict[str, Any], *, user: str) -> str:
    state = {"values": {block: {block: value} for block, value in values.items()}}
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEST", "domain": "example"},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "user": {"id": user},
        "trigger_id": "1.2.3",
        "view": {**view, "id": "V1", "state": state, "hash": "1.abc"},
    }
    return urlencode({"payload": json.dumps(payload)})


def options(view: dict[str, Any], block_id: str) -> dict[str, str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return {o["text"]["text"]: o["value"] for o in block["element"]["options"]}


def chosen(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


async def submit(slack: SlackDriver, body: str) -> dict[str, Any]:
    response = await slack.post(body)
    assert response.status == 200, await response.text()
    text = await response.text()
    return json.loads(text) if text else {}


async def opened_form(slack: SlackDriver) -> dict[str, Any]:
    await slack.command("/swap", "", user=ALICE)
    await wait_for(lambda: bool(slack.fake.of("views.open")))
    view: dict[str, Any] = slack.fake.of("views.open")[0].args["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert_valid_blocks(view["blocks"], surface="modal")
    View(**view).validate_json()
    return view


async def test_the_form_asks_then_the_teammate_gets_the_buttons(slack: SlackDriver, ctx: AppContext) -> None:
    view = await opened_form(slack)
    mine = options(view, "mine")
    assert next(iter(mine)) == "Mon 01 Mar 09:00 → Mon 08 Mar 09:00 · primary"
    theirs = options(view, "theirs")
    assert "Cover only: they take my shift" in theirs
    carols = next(v for k, v in theirs.items() if k.startswith("Carol · Mon 08 Mar"))
    values = {
        "teammate": chosen("carol"),
        "mine": chosen(mine["Mon 01 Mar 09:00 → Mon 08 Mar 09:00 · primary"]),
        "theirs": chosen(carols),
        "reason": {"type": "plain_text_input", "value": "conference"},
    }
    assert await submit(slack, view_submission(view, values, user=ALICE)) == {}
    await wait_for(lambda: len(slack.fake.of("chat.postMessage")) == 2)
    [dm] = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == CAROL]
    assert "conference" in text_of(dm.args) and set(buttons(dm.args["blocks"])) == {
        "Approve",
        "Decline",
    }
    [note] = messages(slack, "Swap request #1 sent")
    assert note.args["channel"] == ALICE
    await remembered(ctx)
    await press(slack, dm, "Approve")
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    assert await holders(ctx, ALICE_WEEK) == ("carol", "bob", Reason.SWAP)


async def test_the_form_reads_the_schedule_once_for_all_teammates(
    slack: SlackDriver, ctx: AppContext
) -> None:
    # Each teammate's shifts from one read of the rotation, so the form opens within the few
    # seconds Slack allows even when the database is slow.
    engine = ctx.sessions.kw["bind"].sync_engine
    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        reads.extend(["absences"] if "FROM absences" in statement else [])

    event.listen(engine, "before_cursor_execute", seen)
    try:
        view = await opened_form(slack)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    teammates = {k.split(" · ")[0] for k in options(view, "theirs") if " · " in k}
    assert teammates == {"Bob", "Carol", "David"} and reads == ["absences"]


def teammate_picked(view: dict[str, Any], teammate: str, *, user: str) -> str:
    """The block action Slack sends when a teammate is picked in the open form."""
    state = {"values": {"teammate": {"teammate": chosen(teammate)}}}
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEST", "domain": "example"},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "user": {"id": user},
        "trigger_id": "1.2.4",
        "container": {"type": "view", "view_id": "V1"},
        "view": {**view, "id": "V1", "state": state, "hash": "1.abc"},
        "actions": [
            {
                "type": "static_select",
                "block_id": "teammate",
                "action_id": "teammate",
                "selected_option": {"value": teammate, "text": {"type": "plain_text", "text": teammate}},
                "action_ts": "1.5",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def test_picking_a_teammate_offers_only_their_shifts_in_exchange(slack: SlackDriver) -> None:
    view = await opened_form(slack)
    assert any(k.startswith("Bob ·") for k in options(view, "theirs"))  # everyone's, until one is picked
    assert await submit(slack, teammate_picked(view, "carol", user=ALICE)) == {}
    await wait_for(lambda: bool(slack.fake.of("views.update")))
    [update] = slack.fake.of("views.update")
    assert update.args["view_id"] == "V1" and update.args["hash"] == "1.abc"
    updated = update.args["view"]
    if isinstance(updated, str):
        updated = json.loads(updated)
    assert_valid_blocks(updated["blocks"], surface="modal")
    theirs = list(options(updated, "theirs"))
    assert theirs[0] == "Cover only: they take my shift" and len(theirs) > 1
    assert all(k.startswith("Carol · ") for k in theirs[1:])
    teammate = next(b for b in updated["blocks"] if b.get("block_id") == "teammate")
    assert teammate["element"]["initial_option"]["value"] == "carol"
    assert options(updated, "mine") == options(view, "mine")


async def test_the_form_puts_each_problem_next_to_its_input(slack: SlackDriver) -> None:
    view = await opened_form(slack)
    mine = next(iter(options(view, "mine").values()))
    theirs = options(view, "theirs")
    bobs = next(v for k, v in theirs.items() if k.startswith("Bob ·"))
    wrong = {"teammate": chosen("carol"), "mine": chosen(mine), "theirs": chosen(bobs)}
    answer = await submit(slack, view_submission(view, wrong, user=ALICE))
    assert answer["response_action"] == "errors" and "not your teammate's" in answer["errors"]["theirs"]
    both = {"teammate": chosen("bob"), "mine": chosen(mine), "theirs": chosen("cover")}
    answer = await submit(slack, view_submission(view, both, user=ALICE))
    assert answer["errors"] == {"mine": answer["errors"]["mine"]}
    assert "Bob would be primary and backup at once" in answer["errors"]["mine"]
    part = {
        **both,
        "teammate": chosen("david"),
        "part_from": {
            "type": "datetimepicker",
            "selected_date_time": int(datetime(2027, 4, 1, tzinfo=NY).timestamp()),
        },
    }
    answer = await submit(slack, view_submission(view, part, user=ALICE))
    assert answer["errors"] == {"part_from": "The part must lie within your shift."}
    assert slack.fake.of("chat.postMessage") == []


async def test_help_and_strangers(slack: SlackDriver) -> None:
    answer = await slack.command("/swap", "help", user=BOB)
    assert "`/swap list`" in text_of(answer)
    answer = await slack.command("/swap", "list", user=STRANGER)
    assert "not in the team file" in text_of(answer)


async def test_from_the_local_shell(ctx: AppContext) -> None:
    async def drive(script: str, person: str) -> str:
        out = io.StringIO()
        await run_shell(ctx, as_person=person, stdin=io.StringIO(script), stdout=out)
        return out.getvalue()

    asked = await drive("/swap @carol 2027-03-01 cover\n", "alice")
    assert "Asked @Carol (request #1)" in asked and "→ DM to Carol:" in asked
    answered = await drive("/swap list\n1\n", "carol")
    assert "Waiting for your answer" in answered and "[1] Approve  [2] Decline" in answered
    assert "You approved swap #1 with @Alice" in answered
    assert await holders(ctx, ALICE_WEEK) == ("carol", "bob", Reason.SWAP)


async def test_the_scheduler_tick_expires_requests(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    object.__setattr__(ctx, "clock", lambda: FIRST_SHIFT)
    await Rituals(ctx, make_client(settings), grace=timedelta(minutes=5)).tick()
    [told] = messages(slack, "Swap request expired")
    assert told.args["channel"] == ALICE


async def test_a_restart_expires_at_once_what_fell_due_while_down(
    slack: SlackDriver, ctx: AppContext, settings: Settings
) -> None:
    await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    object.__setattr__(ctx, "clock", lambda: FIRST_SHIFT + timedelta(seconds=30))
    rituals = Rituals(ctx, make_client(settings), grace=timedelta(minutes=5))
    await rituals.start()
    rituals.shutdown()
    [told] = messages(slack, "Swap request expired")
    assert told.args["channel"] == ALICE


async def test_app_home_lists_what_waits_for_me(slack: SlackDriver, ctx: AppContext) -> None:
    await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    home = await slack.app_home(CAROL)
    assert_valid_blocks(home, surface="home")
    assert "Swap request #1 from <@U0ALICE01>" in str(home)


async def test_admins_list_everyones_swaps(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{DAVID}|david> 2027-03-08 cover", user=BOB, teammate=DAVID)
    assert "only admins list everyone" in text_of(
        (await slack.command("/swap", "list all", user=CAROL))["blocks"]
    )
    listed = await slack.command("/swap", "list all", user=ALICE)
    assert_valid_blocks(listed["blocks"])
    assert "*Pending*" in text_of(listed) and "#1 (pending): <@U0DAVID01> covers" in text_of(listed)
    await press(slack, dm, "Approve", user=DAVID)
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    listed = await slack.command("/swap", "list all", user=ALICE)
    assert "*Applied*" in text_of(listed) and "#1 (approved)" in text_of(listed)
    assert "*Pending*" not in text_of(listed)


async def test_part_of_a_shift_expires_when_the_whole_shift_starts(
    slack: SlackDriver, ctx: AppContext
) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-04..2027-03-05 cover")
    assert f"Answer before <!date^{int(FIRST_SHIFT.timestamp())}^" in text_of(dm.args)
    object.__setattr__(ctx, "clock", lambda: datetime(2027, 3, 2, 12, tzinfo=NY))  # day 2 of Alice's shift
    await press(slack, dm, "Approve")
    await wait_for(lambda: bool(messages(slack, "Swap request expired")))
    assert ephemeral(slack) == ["Swap request #1 is expired; it can no longer be approved or declined."]
    [update] = slack.fake.of("chat.update")
    assert "expired: its first shift started" in text_of(update.args)
    assert not buttons(update.args["blocks"])
    assert await holders(ctx, datetime(2027, 3, 4, 12, tzinfo=NY)) == ("alice", "bob", Reason.ROTATION)


async def test_an_approved_swap_of_some_hours_by_text(slack: SlackDriver, ctx: AppContext) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-03T09:00..2027-03-03T18:00 cover")
    assert "becomes primary" in text_of(dm.args)
    await press(slack, dm, "Approve")
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    assert await holders(ctx, datetime(2027, 3, 3, 8, 59, tzinfo=NY)) == ("alice", "bob", Reason.ROTATION)
    assert await holders(ctx, datetime(2027, 3, 3, 9, tzinfo=NY)) == ("carol", "bob", Reason.SWAP)
    assert await holders(ctx, datetime(2027, 3, 3, 17, 59, tzinfo=NY)) == ("carol", "bob", Reason.SWAP)
    assert await holders(ctx, datetime(2027, 3, 3, 18, tzinfo=NY)) == ("alice", "bob", Reason.ROTATION)


async def test_an_approved_swap_of_part_of_a_shift_by_the_form(slack: SlackDriver, ctx: AppContext) -> None:
    view = await opened_form(slack)
    mine = options(view, "mine")["Mon 01 Mar 09:00 → Mon 08 Mar 09:00 · primary"]
    values = {
        "teammate": chosen("david"),
        "mine": chosen(mine),
        "theirs": chosen("cover"),
        "part_from": {
            "type": "datetimepicker",
            "selected_date_time": int(datetime(2027, 3, 4, 12, tzinfo=NY).timestamp()),
        },
        "part_until": {
            "type": "datetimepicker",
            "selected_date_time": int(datetime(2027, 3, 5, 8, tzinfo=NY).timestamp()),
        },
    }
    assert await submit(slack, view_submission(view, values, user=ALICE)) == {}
    await wait_for(lambda: any(c.args["channel"] == DAVID for c in slack.fake.of("chat.postMessage")))
    [dm] = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == DAVID]
    await remembered(ctx)
    await press(slack, dm, "Approve", user=DAVID)
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    assert await holders(ctx, datetime(2027, 3, 4, 11, tzinfo=NY)) == ("alice", "bob", Reason.ROTATION)
    assert await holders(ctx, datetime(2027, 3, 4, 12, tzinfo=NY)) == ("david", "bob", Reason.SWAP)
    assert await holders(ctx, datetime(2027, 3, 5, 7, tzinfo=NY)) == ("david", "bob", Reason.SWAP)
    assert await holders(ctx, datetime(2027, 3, 5, 8, tzinfo=NY)) == ("alice", "bob", Reason.ROTATION)


async def test_a_teammate_in_another_zone_reads_the_times_on_their_own_clock(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await living_in(ctx, "carol", "Europe/London")
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    text = text_of(dm.args)
    # Slack shows each reader the date tokens in their zone; the fallback is written in Carol's.
    assert (
        f"<!date^{int(FIRST_SHIFT.timestamp())}^{{date_short_pretty}} {{time}}|Mon 01 Mar 14:00 GMT>" in text
    )
    assert "EST" not in text
    await press(slack, dm, "Approve")
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    [channel] = [c for c in messages(slack, "Swap approved") if c.args["channel"] == "#data-oncall"]
    assert "Mon 01 Mar 09:00 EST" in text_of(channel.args)  # the rotation's clock in its channel


async def test_an_admin_cancels_someone_elses_request_and_the_requester_is_told(
    slack: SlackDriver, ctx: AppContext
) -> None:
    dm = await requested(slack, ctx, f"<@{DAVID}|david> 2027-03-08 cover", user=BOB, teammate=DAVID)
    answer = await slack.command("/swap", "cancel 1", user=ALICE)
    assert "Cancelled swap request #1" in text_of(answer)
    await wait_for(lambda: bool(messages(slack, "Swap request cancelled")))
    [told] = messages(slack, "Swap request cancelled")
    assert told.args["channel"] == BOB and "was cancelled by <@U0ALICE01>" in text_of(told.args)
    [update] = slack.fake.of("chat.update")
    assert update.args["channel"] == DAVID and not buttons(update.args["blocks"])
    await press(slack, dm, "Approve", user=DAVID)
    await wait_for(lambda: bool(ephemeral(slack)))
    assert await holders(ctx, BOB_WEEK) == ("bob", "carol", Reason.ROTATION)


async def test_app_home_and_the_calendar_feed_show_an_applied_swap(
    slack: SlackDriver, ctx: AppContext
) -> None:
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    await press(slack, dm, "Approve")
    await wait_for(lambda: len(messages(slack, "Swap approved")) == 2)
    home = await slack.app_home(CAROL)
    assert "swap: covers for Alice (swap #1)" in str(home)
    links = text_of(await slack.command("/oncall", "calendar", user=CAROL))
    [path] = re.findall(r"https://oncall\.example\.com(/calendar/[\w-]+\.ics)", links)[:1]
    feed = (await (await slack.http.get(path)).text()).replace("\r\n ", "")
    assert "On call (primary)\\, data-oncall: Carol" in feed and "covers for Alice (swap #1)" in feed


async def test_a_refused_approval_is_written_on_the_approvers_clock(
    slack: SlackDriver, ctx: AppContext
) -> None:
    await living_in(ctx, "carol", "Europe/London")
    dm = await requested(slack, ctx, f"<@{CAROL}|carol> 2027-03-01 cover")
    await slack.command("/oncall", "away 2027-03-03 2027-03-04", user=CAROL)  # her own days, in London
    await press(slack, dm, "Approve")
    await wait_for(lambda: bool(ephemeral(slack)))
    [refused] = ephemeral(slack)
    assert refused.startswith("Not applied: Carol is away from Wed 03 Mar 00:00 GMT to Fri 05 Mar 00:00 GMT")
    assert "EST" not in refused and refused.endswith("The request is still open.")
    assert await holders(ctx, ALICE_WEEK) == ("alice", "bob", Reason.ROTATION)


async def test_a_request_that_cannot_reach_the_teammate_tells_the_requester_why(
    slack: SlackDriver,
) -> None:
    slack.fake.refusals[f"chat.postMessage:{CAROL}"] = "user_not_found"
    answer = await slack.command("/swap", f"<@{CAROL}|carol> 2027-03-01 cover", user=ALICE)
    assert "Asked <@U0CAROL01> (request #1)" in text_of(answer)
    await wait_for(lambda: bool(messages(slack, "Swap request #1 not delivered")))
    [told] = messages(slack, "Swap request #1 not delivered")
    assert told.args["channel"] == ALICE
    assert_valid_blocks(told.args["blocks"])
    text = text_of(told.args)
    assert (
        "could not reach <@U0CAROL01>: Slack refused the message (`user_not_found`: check the person's "
        "Slack id in the team file)" in text
    )
    assert "It stays pending until <!date^" in text and "`/swap cancel 1` withdraws it" in text
    assert "#1 (pending)" in text_of(await slack.command("/swap", "list", user=ALICE))


async def test_the_form_failing_to_open_in_slack_is_told(slack: SlackDriver) -> None:
    # Slack fails to open the modal (after its client's retries): the one who typed /swap hears it.
    slack.fake.fail("views.open", 500, times=5)
    await slack.command("/swap", "", user=ALICE)
    await wait_for(lambda: any(c.method.startswith("response:") for c in slack.fake.calls))
    [told] = [c.args.get("text", "") for c in slack.fake.calls if c.method.startswith("response:")]
    assert "Something went wrong on our side" in told and "try again" in told
