"""Schedule engine figures: one year of resolved shifts for 100 rotations of 50 members, and the cost
of a `who` lookup with ten years of history in the store against an empty store.

Run: .venv/bin/python -m benchmarks.schedule   (prints figures; asserts nothing)
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from benchmarks.history import seed_store
from bot.core.schedule import CountryCalendar, resolve
from bot.core.schedule.model import Absence, Override, Reason, Role, Rotation, ScheduleInputs
from bot.core.schedule.rotation import local_midnight

ZONES = ("America/New_York", "Europe/London", "Asia/Kolkata", "UTC", "Australia/Lord_Howe")
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
TARGET_MS = 150


def build_year(seed: int = 7) -> tuple[list[Rotation], ScheduleInputs]:
    rng = random.Random(seed)
    rotations = [
        Rotation(f"r{i}", tuple(f"p{i}-{j}" for j in range(50)), ZONES[i % len(ZONES)], date(2025, 12, 29))
        for i in range(100)
    ]
    start, hours = YEAR[0], int((YEAR[1] - YEAR[0]) / timedelta(hours=1))
    overrides = []
    for seq in range(500):
        rotation = rng.choice(rotations)
        begin = start + timedelta(hours=rng.randrange(hours))
        span = timedelta(hours=rng.randrange(4, 7 * 24))
        overrides.append(
            Override(
                rotation.name,
                rng.choice(list(Role)),
                rng.choice(rotation.members),
                begin,
                begin + span,
                Reason.SWAP,
                seq,
            )
        )
    absences = []
    for _ in range(200):
        rotation = rng.choice(rotations)
        begin = start + timedelta(hours=rng.randrange(hours))
        absences.append(
            Absence(rng.choice(rotation.members), begin, begin + timedelta(days=rng.randrange(1, 15)))
        )
    return rotations, ScheduleInputs(calendar=CountryCalendar("US"), absences=absences, overrides=overrides)


def time_year(runs: int = 5) -> tuple[float, int]:
    rotations, inputs = build_year()
    timings, segments = [], 0
    for _ in range(runs):
        local_midnight.cache_clear()  # each run starts cold, as a fresh process would
        inputs = replace(inputs, calendar=CountryCalendar("US"))
        began = time.perf_counter()
        segments = sum(len(resolve(r, *YEAR, inputs).segments) for r in rotations)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), segments


async def time_who(history_years: int, lookups: int = 200) -> float:
    """Median ms of one `who` through the service on a SQLite store holding that much history."""
    from bot.features.oncall.views import on_call
    from bot.store.db import create_engine, session_factory

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await seed_store(url, years=history_years)
        engine = create_engine(url)
        sessions = session_factory(engine)
        timings = []
        at = datetime(2026, 6, 3, 12, tzinfo=UTC)
        async with sessions() as session:
            for i in range(lookups):
                began = time.perf_counter()
                await on_call(session, at=at + timedelta(hours=i))
                timings.append((time.perf_counter() - began) * 1000)
        await engine.dispose()
    return statistics.median(timings)


def main() -> None:
    median_ms, segments = time_year()
    print("resolve one year, 100 rotations x 50 members, 500 overrides, 200 absences, US holidays:")
    print(f"  {median_ms:.1f} ms median of 5 runs ({segments} segments); target < {TARGET_MS} ms")
    empty = asyncio.run(time_who(0))
    full = asyncio.run(time_who(10))
    print("who lookup through the store (SQLite):")
    print(f"  empty store {empty:.2f} ms, ten years of overrides and absences {full:.2f} ms")
    print(f"  ratio {full / empty:.2f}; target <= 1.5")


if __name__ == "__main__":
    main()
