"""Invariants of the resolved schedule over random teams, absences and overrides."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.schedule import CountryCalendar, holiday_duties, resolve
from bot.schedule.model import Absence, Override, Reason, Role, Rotation, ScheduleInputs, Unit

ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
US = CountryCalendar("US")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


@st.composite
def rotations(draw: st.DrawFn, min_members: int = 2) -> Rotation:
    size = draw(st.integers(min_members, 8))
    return Rotation(
        name="r",
        members=tuple(f"m{i}" for i in range(size)),
        timezone=draw(st.sampled_from(ZONES)),
        start=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 300))),
        handoff_time=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))),
        handoff_weekday=draw(st.integers(0, 6)),
        unit=draw(st.sampled_from(list(Unit))),
        length=draw(st.integers(1, 3)),
    )


def spans(draw: st.DrawFn, base: datetime, count: int) -> list[tuple[datetime, datetime]]:
    found = []
    for _ in range(count):
        start = base + HOUR * draw(st.integers(-48, 24 * 40))
        found.append((start, start + HOUR * draw(st.integers(1, 24 * 12))))
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Rotation, ScheduleInputs, datetime, datetime]:
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
            Reason.SWAP,
            seq=i,
        )
        for i, (a, b) in enumerate(spans(draw, first, draw(st.integers(0, 4))))
    ]
    start = first + HOUR * draw(st.integers(0, 24 * 10))
    end = start + HOUR * draw(st.integers(1, 24 * 35))
    return rotation, ScheduleInputs(calendar=US, absences=absences, overrides=overrides), start, end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants(scenario: tuple[Rotation, ScheduleInputs, datetime, datetime]) -> None:
    rotation, inputs, start, end = scenario
    segments = resolve(rotation, start, end, inputs).segments
    for role in Role:
        mine = [s for s in segments if s.role is role]
        # Each role tiles [start, end) exactly: contiguous, no overlap, no hole.
        assert mine[0].start == start and mine[-1].end == end
        assert all(a.end == b.start for a, b in itertools.pairwise(mine))
        assert all(s.start < s.end and s.reason for s in mine)
    cuts = sorted({s.start for s in segments})
    for instant in cuts:
        primary = next(s for s in segments if s.role is Role.PRIMARY and s.start <= instant < s.end)
        backup = next(s for s in segments if s.role is Role.BACKUP and s.start <= instant < s.end)
        # Exactly one primary and one backup, different people, or a reported gap.
        assert primary.person is None or primary.person != backup.person
        for held in (primary, backup):
            assert (held.person is None) == (held.reason is Reason.GAP)
            # Nobody is ever scheduled while away.
            assert not any(a.person == held.person and a.start <= instant < a.end for a in inputs.absences)


@settings(max_examples=40, deadline=None)
@given(rotations(min_members=3), st.integers(2026, 2028))
def test_holiday_duty_is_balanced(rotation: Rotation, year: int) -> None:
    duties = holiday_duties(rotation, year, ScheduleInputs(calendar=US))
    counts = Counter({m: 0 for m in rotation.members})
    counts.update(d.person for d in duties)
    assert max(counts.values()) - min(counts.values()) <= 1


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_overrides_hold_where_their_person_is_free(
    scenario: tuple[Rotation, ScheduleInputs, datetime, datetime],
) -> None:
    rotation, inputs, start, end = scenario
    segments = resolve(rotation, start, end, inputs).segments
    newest_primary = [o for o in inputs.overrides if o.role is Role.PRIMARY]
    for override in newest_primary:
        instant = max(override.start, start)
        if instant >= min(override.end, end):
            continue
        winner = max((o for o in newest_primary if o.start <= instant < o.end), key=lambda o: o.seq)
        away = any(a.person == winner.person and a.start <= instant < a.end for a in inputs.absences)
        # A newer override naming the same person as backup takes precedence over this one.
        outranked = any(
            o.role is Role.BACKUP
            and o.person == winner.person
            and o.seq > winner.seq
            and o.start <= instant < o.end
            for o in inputs.overrides
        )
        if not away and not outranked:
            primary = next(s for s in segments if s.role is Role.PRIMARY and s.start <= instant < s.end)
            assert primary.person == winner.person
