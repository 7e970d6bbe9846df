"""`/incident` text: each form, and a specific message for each mistake."""

from __future__ import annotations

import pytest

from bot.slack.commands.incident_parse import (
    Declare,
    Help,
    ListOpen,
    OpenForm,
    Resolve,
    Status,
    parse,
)


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", OpenForm()),
        ("help", Help()),
        ("LIST", ListOpen()),
        ("status 3", Status(3)),
        ("status #12", Status(12)),
        ("resolve 3 reran the job", Resolve(3, "reran the job")),
        ("growth late data from Kafka", Declare("growth", "sev2", "late data from Kafka")),
        ("growth SEV1 numbers are zero", Declare("growth", "sev1", "numbers are zero")),
        ("investor report sev3 slow", Declare("investor", "sev2", "report sev3 slow")),
    ],
)
def test_requests(text: str, request_: object) -> None:
    assert parse(text) == request_


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("growth", "Usage: `/incident <pipeline>"),
        ("growth sev1", "Say what is wrong"),
        ("growth sev4 broken", "not `sev4`"),
        ("status", "Usage: `/incident status <id>`"),
        ("status three", "Usage: `/incident status <id>`"),
        ("status 99999999999", "Usage: `/incident status <id>`"),
        ("resolve 3", "Usage: `/incident resolve <id> <resolution>`"),
        ("resolve x fixed", "Usage: `/incident resolve <id> <resolution>`"),
    ],
)
def test_mistakes(text: str, says: str) -> None:
    answer = parse(text)
    assert isinstance(answer, str) and says in answer


def test_a_long_summary_is_cut_to_what_is_stored() -> None:
    answer = parse("growth " + "x" * 900)
    assert isinstance(answer, Declare) and len(answer.summary) == 500
