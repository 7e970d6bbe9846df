"""The incident messages and modals: what each state shows, within Slack's limits, user text escaped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from slack_sdk.models.views import View

from bot.core.incidents.audience import Reach
from bot.core.incidents.escalation import levels
from bot.core.incidents.model import Event, EventKind, Status
from bot.features.incidents.service import HandoffIncidents
from bot.messages.incident_modals import DeclareMeta, declare_modal, resolve_modal, submitted
from bot.messages.incident_timeline import event_blocks, event_text, timeline_blocks
from bot.messages.incidents import (
    IncidentButton,
    duration,
    handoff_incident_blocks,
    list_blocks,
    reach_blocks,
    refused_text,
    root_blocks,
    timing,
)
from tests.incidents.fixtures import (
    DECLARED,
    PEOPLE,
    PIPELINES,
    WEEK6,
    incident,
    lines,
    mrkdwn_texts,
    plain_texts,
)
from tests.slack.blocks_check import assert_valid_blocks

HOSTILE = "<!channel> @here <https://evil.example|click> & <@U0ALICE01> *bold* _it_ ~gone~ `code`"
NAMES = {p.key: p.name for p in WEEK6.pipelines}


def assert_shown_as_written(blocks: list[dict], text: str) -> None:  # type: ignore[type-arg]
    """The text is a plain_text object, as written; nothing the bot formats carries any of it."""
    assert_valid_blocks(blocks)
    assert text in plain_texts(blocks)
    said = " ".join(mrkdwn_texts(blocks))
    assert "evil" not in said and "bold" not in said and "<@U0ALICE01>" not in said


def buttons(blocks: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


@pytest.mark.parametrize(
    ("state", "status", "shown"),
    [
        ({}, "open", ["Acknowledge", "Escalate", "Resolve"]),
        ({"acked_by": "bob", "acked_at": DECLARED}, "acknowledged", ["Escalate", "Resolve"]),
        (
            {"status": Status.RESOLVED, "resolved_by": "bob", "resolved_at": DECLARED, "resolution": "rerun"},
            "resolved",
            ["Reopen"],
        ),
    ],
)
def test_root_message_per_state(state: dict[str, object], status: str, shown: list[str]) -> None:
    blocks = root_blocks(incident(**state), PIPELINES["growth"].name, PEOPLE, "America/New_York")
    assert_valid_blocks(blocks)
    text = str(blocks)
    assert "Incident #7: Growth Pipeline (sev1)" in text and f"Status: *{status}*" in text
    assert (
        "declared by <@U0CAROL01> <!date^1796749200^{date_short_pretty} {time}|Tue 08 Dec 12:00 EST>" in text
    )
    assert buttons(blocks) == shown


def test_buttons_carry_the_incident_and_the_level_shown() -> None:
    blocks = root_blocks(incident(level=1), PIPELINES["engagement"].name, PEOPLE, "America/New_York")
    values = {e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}
    assert [IncidentButton.read(v) for v in values] == [IncidentButton(incident=7, level=1)]
    assert IncidentButton.read("7") == IncidentButton(incident=7, level=None)  # older messages
    assert IncidentButton.read("７") is None and IncidentButton.read('{"incident": "x"}') is None


def test_root_shows_who_acknowledged_the_level_and_the_resolution() -> None:
    done = incident(
        acked_by="bob",
        acked_at=DECLARED,
        level=1,
        status=Status.RESOLVED,
        resolved_by="bob",
        resolved_at=DECLARED + timedelta(hours=1),
        resolution="replayed the topic",
        link="https://example.slack.com/archives/C1/p1",
    )
    blocks = root_blocks(done, PIPELINES["growth"].name, PEOPLE, "America/New_York")
    text = str(blocks)
    assert "acknowledged by *Bob*" in text and "escalation level 1" in text
    assert "Resolution: replayed the topic" in plain_texts(blocks) and "resolved by *Bob*" in text
    assert "<https://example.slack.com/archives/C1/p1|link>" in text


def test_hostile_text_is_shown_not_obeyed() -> None:
    evil = incident(summary=HOSTILE, link="javascript:alert(1) <!here>", declared_by="U0STRANGER")
    blocks = root_blocks(evil, PIPELINES["growth"].name, PEOPLE, "America/New_York")
    assert_shown_as_written(blocks, HOSTILE)
    text = str(blocks)
    assert "javascript:alert(1) &lt;!here&gt;" in text and "|link>" not in text
    assert "declared by <@U0STRANGER>" in text  # someone outside the team may declare
    closed = incident(status=Status.RESOLVED, resolved_by="bob", resolved_at=DECLARED, resolution=HOSTILE)
    root = root_blocks(closed, PIPELINES["growth"].name, PEOPLE, "America/New_York")
    assert_shown_as_written(root, f"Resolution: {HOSTILE}")


def test_what_people_wrote_shows_as_written_in_the_thread_status_and_list() -> None:
    ladder = levels(PIPELINES["growth"], WEEK6.people)
    declared = event(EventKind.DECLARED, actor="carol", detail=HOSTILE)
    resolved = event(EventKind.RESOLVED, detail=HOSTILE)
    for done in (declared, resolved):
        assert_shown_as_written(event_blocks(done, ladder, PEOPLE), HOSTILE)
    timeline = timeline_blocks([declared, resolved], ladder, PEOPLE, "America/New_York")
    assert_shown_as_written(timeline, HOSTILE)
    assert lines(timeline)[2].endswith(f"Resolved by *Bob*. {HOSTILE}")
    listed = list_blocks([incident(summary=HOSTILE)], NAMES, "America/New_York")
    assert_shown_as_written(listed, HOSTILE)
    report = HandoffIncidents([incident(summary=HOSTILE)], [], NAMES)
    assert_shown_as_written(handoff_incident_blocks(report), HOSTILE)


def test_the_timeline_says_which_events_are_not_in_the_thread_yet() -> None:
    ladder = levels(PIPELINES["growth"], WEEK6.people)
    posted = event(EventKind.DECLARED, actor="carol", detail="late")
    waiting = event(EventKind.ESCALATED, id=2, actor=None, level=1, detail="why", posted=False)
    timeline = timeline_blocks([posted, waiting], ladder, PEOPLE, "America/New_York")
    assert_valid_blocks(timeline)
    _, declared, escalated = lines(timeline)
    assert declared.endswith("Declared by *Carol*. late")
    assert escalated.endswith(f"<@{PEOPLE['david'].slack_id}> :warning: _not posted in Slack yet_")


@pytest.mark.parametrize(
    ("told", "tail"),
    [
        ((), "will be posted once that is fixed."),
        (("bob",), "once that is fixed. Meanwhile *Bob* was told by direct message."),
        (
            ("bob", "alice", "U0KAFKA01"),
            "Meanwhile *Bob*, *Alice* and <@U0KAFKA01> were told by direct message.",
        ),
    ],
)
def test_the_declarer_hears_why_slack_refused_the_thread(told: tuple[str, ...], tail: str) -> None:
    said = refused_text(incident(channel="#data-oncall"), "invite the bot", told, PEOPLE)
    assert said.startswith(
        "Slack refused to post in #data-oncall: invite the bot. The incident is stored as #7"
    )
    assert said.endswith(tail)


def test_the_list_says_how_many_it_leaves_out() -> None:
    many = [incident(id=n) for n in range(1, 46)]
    blocks = list_blocks(many, NAMES, "America/New_York")
    assert_valid_blocks(blocks)
    assert lines(blocks)[-1] == "…and 5 more, declared later."
    assert "*#40*" in lines(blocks)[-2]
    assert "more" not in str(list_blocks(many[:40], NAMES, "America/New_York"))


def test_reach_names_who_is_away_and_who_stands_in() -> None:
    reaches = [
        Reach("bob", "primary owner", False, "away (vacation)", "david"),
        Reach("carol", "secondary owner", True),
        Reach("alice", "on call", True),
    ]
    [block] = reach_blocks(reaches, PEOPLE)
    text = block["text"]["text"]
    assert text.startswith(
        "*Reaching:* <@U0CAROL01> (secondary owner), <@U0ALICE01> (on call), "
        "<@U0DAVID01> (on-call backup, standing in)"
    )
    assert "Bob (primary owner) is away (vacation), so <@U0DAVID01> stands in." in text


def event(kind: EventKind, **values: object) -> Event:
    base: dict[str, object] = {
        "id": 1,
        "incident_id": 7,
        "at": DECLARED,
        "actor": "bob",
        "detail": "",
        "level": None,
        "posted": True,
    }
    return Event(kind=kind, **{**base, **values})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "values", "says"),
    [
        (EventKind.ACKNOWLEDGED, {}, ":eyes: Acknowledged by *Bob*."),
        (EventKind.RESOLVED, {"detail": "reran"}, ":white_check_mark: Resolved by *Bob*."),
        (EventKind.REOPENED, {}, "Reopened by *Bob*; it escalates again if nobody acknowledges it."),
        (
            EventKind.REOPENED,
            {"level": 1},
            "Reopened by *Bob*; it escalates again if nobody acknowledges it.",
        ),
        (EventKind.REOPENED, {"level": 2}, "Reopened by *Bob*; every escalation level was already called."),
        (
            EventKind.ESCALATED,
            {"level": 1},
            "Escalated to level 1 (escalation contacts) by *Bob*. <!subteam^S0INFRA01>",
        ),
        (
            EventKind.ESCALATED,
            {"level": 2, "actor": None, "detail": "sev1 not acknowledged within 5 minutes"},
            "Escalated to level 2 (admins) automatically: sev1 not acknowledged within 5 minutes. "
            "<@U0ALICE01>, <@U0DAVID01>",
        ),
    ],
)
def test_thread_message_per_event(kind: EventKind, values: dict[str, object], says: str) -> None:
    ladder = levels(PIPELINES["engagement"], WEEK6.people)
    assert says in event_text(event(kind, **values), ladder, PEOPLE)


@pytest.mark.parametrize(
    ("unreachable", "says"),
    [
        (
            {"alice": "away (vacation)"},
            "(admins) by *Bob*. <@U0DAVID01> :palm_tree: Alice is away (vacation), not mentioned.",
        ),
        (
            {"alice": "away (vacation)", "david": "off for Christmas Day"},
            "(admins) by *Bob*. Nobody at this level can be reached. "
            ":palm_tree: Alice is away (vacation), not mentioned. "
            ":palm_tree: David is off for Christmas Day, not mentioned.",
        ),
    ],
)
def test_an_escalation_names_whom_it_cannot_reach(unreachable: dict[str, str], says: str) -> None:
    ladder = levels(PIPELINES["engagement"], WEEK6.people)
    said = event_text(event(EventKind.ESCALATED, level=2), ladder, PEOPLE, unreachable)
    assert said.endswith(says) and "<@U0ALICE01>" not in said


@pytest.mark.parametrize(
    ("span", "shown"),
    [
        (timedelta(seconds=59), "0 min"),
        (timedelta(minutes=4), "4 min"),
        (timedelta(hours=1, minutes=5), "1 h 5 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(days=2, hours=3, minutes=1), "2 d 3 h"),
    ],
)
def test_duration(span: timedelta, shown: str) -> None:
    assert duration(span) == shown


def test_handoff_lists_open_and_resolved_with_timings() -> None:
    still = incident(id=1, acked_by="bob", acked_at=DECLARED + timedelta(minutes=4))
    closed = incident(
        id=2,
        pipeline="aggregated",
        summary="OOM in join",
        status=Status.RESOLVED,
        acked_by="david",
        acked_at=DECLARED + timedelta(minutes=12),
        resolved_by="david",
        resolved_at=DECLARED + timedelta(hours=2, minutes=30),
        resolution="more memory",
    )
    blocks = handoff_incident_blocks(HandoffIncidents([still], [closed], NAMES))
    assert_valid_blocks(blocks)
    assert lines(blocks) == [
        "*Incidents still open*",
        "#1 Growth Pipeline (sev1): late data from Kafka · acknowledged 4 min after it was declared",
        "*Resolved since the last handoff*",
        "#2 Aggregated Data Pipeline (sev1): OOM in join · "
        "acknowledged 12 min and resolved 2 h 30 min after it was declared",
    ]
    assert "Incidents still open:* none" in str(
        handoff_incident_blocks(HandoffIncidents([], [closed], NAMES))
    )
    assert handoff_incident_blocks(HandoffIncidents([], [], NAMES)) == []  # quiet after a quiet shift


@pytest.mark.parametrize(
    ("state", "reopened", "said"),
    [
        ({}, False, "not acknowledged"),
        ({}, True, "not acknowledged since it was reopened"),
        (
            {"acked_at": DECLARED + timedelta(days=3)},
            True,
            "reopened; acknowledged 3 d after it was declared",
        ),
        (
            {"status": Status.RESOLVED, "resolved_at": DECLARED + timedelta(hours=3)},
            False,
            "resolved 3 h after it was declared, not acknowledged",
        ),
        (
            {"status": Status.RESOLVED, "resolved_at": DECLARED + timedelta(days=2)},
            True,
            "resolved 2 d after it was declared, not acknowledged since it was reopened",
        ),
    ],
)
def test_timings_say_they_count_from_the_declaration(
    state: dict[str, object], reopened: bool, said: str
) -> None:
    acked = {"acked_by": "bob"} if "acked_at" in state else {}
    assert timing(incident(**state, **acked), reopened=reopened) == said


def test_declare_modal_is_valid_and_prefilled() -> None:
    meta = DeclareMeta(origin_channel="C0RANDOM", key="message:C0RANDOM:1.2")
    modal = declare_modal(
        WEEK6.pipelines, meta, summary="  Kafka lag 3h  ", link="https://example.slack.com/p1"
    )
    View(**modal).validate_json()
    assert_valid_blocks(modal["blocks"], surface="modal")
    elements = {b["block_id"]: b["element"] for b in modal["blocks"]}
    assert [o["value"] for o in elements["pipeline"]["options"]] == [p.key for p in WEEK6.pipelines]
    assert elements["severity"]["initial_option"]["value"] == "sev2"
    assert elements["summary"]["initial_value"] == "Kafka lag 3h"
    assert elements["link"]["initial_value"] == "https://example.slack.com/p1"
    assert DeclareMeta.model_validate_json(modal["private_metadata"]) == meta


def test_resolve_modal_and_reading_a_submission() -> None:
    modal = resolve_modal(7, "late data from Kafka")
    View(**modal).validate_json()
    state = {"values": {"resolution": {"resolution": {"type": "plain_text_input", "value": "  reran  "}}}}
    assert submitted({**modal, "state": state}, "resolution") == "reran"
    assert submitted({**modal, "state": {"values": {}}}, "resolution") is None
