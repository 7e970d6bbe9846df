"""Invariants of the resolved schedule over random teams, absences and overrides."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.schedule import holiday_duties, resolve
from bot.core.schedule.model import Absence, Override, Reason, Role, Rotation, ScheduleInputs, Segment, Unit
from tests.schedule.examples import US

ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
HOUR = timedelta(hours=1)
Scenario = tuple[Rotation, ScheduleInputs, datetime, datetime]


@st.composite
def rotations(draw: st.DrawFn, min_members: int = 2) -> Rotation:
    size = draw(st.integers(min_members, 8))
    members = tuple(f"m{i}" for i in range(size))
    step = draw(st.integers(0, size - 1))  # 0: the next member; otherwise fixed pairs `step` apart
    return Rotation(
        name="r",
        members=members,
        timezone=draw(st.sampled_from(ZONES)),
        start=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 300))),
        handoff_time=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))),
        handoff_weekday=draw(st.integers(0, 6)),
        unit=draw(st.sampled_from(list(Unit))),
        length=draw(st.integers(1, 3)),
        backup_pairs={m: members[(i + step) % size] for i, m in enumerate(members)} if step else {},
    )


def spans(draw: st.DrawFn, base: datetime, count: int) -> list[tuple[datetime, datetime]]:
    found = []
    for _ in range(count):
        start = base + HOUR * draw(st.integers(-48, 24 * 40))
        found.append((start, start + HOUR * draw(st.integers(1, 24 * 12))))
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    rotation = draw(rotations())
    first = datetime.combine(rotation.start, time(), UTC) + timedelta(days=8)
    absences = [
        Absence(draw(st.sampled_from(rotation.members)), a, b)
        for a, b in spans(draw, first, draw(st.integers(0, 4)))
    ]
    overrides = [
        Override(
            "r",
            draw(st.sampled_from(list(Role))),
            draw(st.sampled_from(rotation.members)),
            a,
            b,
            draw(st.sampled_from([Reason.SWAP, Reason.VOLUNTEER, Reason.OVERRIDE])),
            seq=i,
        )
        for i, (a, b) in enumerate(spans(draw, first, draw(st.integers(0, 4))))
    ]
    start = first + HOUR * draw(st.integers(0, 24 * 10))
    end = start + HOUR * draw(st.integers(1, 24 * 35))
    return rotation, ScheduleInputs(calendar=US, absences=absences, overrides=overrides), start, end


def holder(segments: list[Segment], role: Role, instant: datetime) -> Segment:
    return next(s for s in segments if s.role is role and s.start <= instant < s.end)


def is_away(inputs: ScheduleInputs, person: str | None, instant: datetime) -> bool:
    return any(a.person == person and a.start <= instant < a.end for a in inputs.absences)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants(scenario: Scenario) -> None:
    rotation, inputs, start, end = scenario
    segments = resolve(rotation, start, end, inputs).segments
    for role in Role:
        mine = [s for s in segments if s.role is role]
        # Each role tiles [start, end) exactly: contiguous, no overlap, no hole.
        assert mine[0].start == start and mine[-1].end == end
        assert all(a.end == b.start for a, b in itertools.pairwise(mine))
        assert all(s.start < s.end and s.reason for s in mine)
        # Neighbours saying the same thing are one segment.
        assert all(
            (a.person, a.reason, a.detail) != (b.person, b.reason, b.detail)
            for a, b in itertools.pairwise(mine)
        )
    for instant in sorted({s.start for s in segments}):
        primary, backup = holder(segments, Role.PRIMARY, instant), holder(segments, Role.BACKUP, instant)
        # One primary and one backup, different people, or a reported gap.
        assert primary.person is None or primary.person != backup.person
        for held in (primary, backup):
            assert (held.person is None) == (held.reason is Reason.GAP)
            assert held.person is None or held.person in rotation.members
            # Nobody is ever scheduled while away.
            assert not is_away(inputs, held.person, instant)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_overrides_hold_where_their_person_is_free(scenario: Scenario) -> None:
    rotation, inputs, start, end = scenario
    segments = resolve(rotation, start, end, inputs).segments
    instants = sorted({s.start for s in segments})
    for instant, role in itertools.product(instants, Role):
        winner = newest(inputs, role, instant)
        if winner is None or is_away(inputs, winner.person, instant):
            continue
        # Only a newer override naming the same person for the other role outranks it.
        other = newest(inputs, Role.BACKUP if role is Role.PRIMARY else Role.PRIMARY, instant)
        outranked = (
            other is not None
            and other.person == winner.person
            and other.seq > winner.seq
            and not is_away(inputs, other.person, instant)
        )
        if not outranked:
            held = holder(segments, role, instant)
            assert (held.person, held.reason) == (winner.person, winner.reason)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.floats(0, 1, exclude_max=True))
def test_a_sub_interval_resolves_the_same(scenario: Scenario, fraction: float) -> None:
    # `who` resolves only from the asked instant; it must agree with a resolution of a longer interval.
    rotation, inputs, start, end = scenario
    minute = timedelta(minutes=1)
    instant = start + minute * int((end - start) / minute * fraction)
    whole = resolve(rotation, start, end, inputs).segments
    part = resolve(rotation, instant, instant + HOUR, inputs).segments
    for role in Role:
        a, b = holder(whole, role, instant), holder(part, role, instant)
        assert (a.person, a.reason, a.detail) == (b.person, b.reason, b.detail)


def newest(inputs: ScheduleInputs, role: Role, instant: datetime) -> Override | None:
    found = [o for o in inputs.overrides if o.role is role and o.start <= instant < o.end]
    return max(found, key=lambda o: o.seq, default=None)


# Two members can't always balance: when one is primary over several holidays, the other must cover.
@settings(max_examples=60, deadline=None)
@given(rotations(min_members=3), st.integers(2026, 2028))
def test_holiday_duty_is_balanced(rotation: Rotation, year: int) -> None:
    duties = holiday_duties(rotation, year, ScheduleInputs(calendar=US))
    counts = Counter(dict.fromkeys(rotation.members, 0))
    covers = [d.person for d in duties if d.person]
    assert len(covers) == len(duties)  # nobody is away, so every holiday has a cover
    counts.update(d.person for d in duties if d.same_as is None)  # an observed day counts with its holiday
    assert max(counts.values()) - min(counts.values()) <= 1
