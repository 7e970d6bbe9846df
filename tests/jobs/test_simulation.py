"""The simulated clock steps forward through the hour a DST change repeats."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import cast
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.jobs.scheduler import Rituals
from tests.jobs.simulation import next_fire

NY = ZoneInfo("America/New_York")


def test_the_next_fire_after_the_repeated_hour_comes_later() -> None:
    # A daily job at 01:30 fires twice on 1 November 2026, once in each pass of the hour.
    nightly = SimpleNamespace(id="handoff:nightly", trigger=CronTrigger(hour=1, minute=30, timezone=NY))
    rituals = cast(Rituals, SimpleNamespace(scheduler=SimpleNamespace(get_jobs=lambda: [nightly])))
    fires = []
    after = datetime(2026, 11, 1, 1, tzinfo=NY)
    for _ in range(3):
        found = next_fire(rituals, after)
        assert found is not None and found[1] == ["handoff:nightly"]
        fires.append(found[0].astimezone(UTC))
        after = found[0].astimezone(NY)  # as the wall clock shows it: the second is in the fold
    assert fires == [
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # 01:30 EDT
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # 01:30 EST
        datetime(2026, 11, 2, 6, 30, tzinfo=UTC),  # the next night, not the same fire again
    ]
