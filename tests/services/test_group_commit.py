"""Group commit: what arrives while a batch is written goes in the next one, each sender gets its
own result (or its own failure), and a failed batch fails only its own senders."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bot.features.alerts.group_commit import GroupCommit


class Recorder:
    """A writer that holds each batch until the test lets it go, and remembers what it wrote."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()

    async def write(self, items: Sequence[int]) -> list[int | Exception]:
        self.batches.append(list(items))
        await self.release.wait()
        return [ValueError(f"odd {n}") if n % 2 else n * 10 for n in items]


async def test_what_arrives_during_a_batch_is_written_together_in_the_next() -> None:
    writer = Recorder()
    commit = GroupCommit(writer.write)
    first = asyncio.create_task(commit.submit(0))
    await asyncio.sleep(0)  # the first is written at once, alone
    later = [asyncio.create_task(commit.submit(n)) for n in (2, 4, 6)]
    await asyncio.sleep(0)
    writer.release.set()
    assert await first == 0 and await asyncio.gather(*later) == [20, 40, 60]
    assert writer.batches == [[0], [2, 4, 6]]


async def test_each_sender_gets_its_own_result_or_failure() -> None:
    writer = Recorder()
    writer.release.set()
    commit = GroupCommit(writer.write)
    results = await asyncio.gather(*(commit.submit(n) for n in range(4)), return_exceptions=True)
    assert [r if isinstance(r, int) else str(r) for r in results] == [0, "odd 1", 20, "odd 3"]


async def test_a_batch_that_fails_fails_its_senders_and_the_next_batch_still_runs() -> None:
    calls: list[list[int]] = []

    async def write(items: Sequence[int]) -> list[int | Exception]:
        calls.append(list(items))
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return list(items)

    commit = GroupCommit(write)
    with pytest.raises(ConnectionError, match="went away"):
        await commit.submit(1)
    assert await commit.submit(2) == 2


async def test_a_batch_is_never_larger_than_its_limit() -> None:
    writer = Recorder()
    writer.release.set()
    commit = GroupCommit(writer.write, most=3)
    await asyncio.gather(*(commit.submit(n * 2) for n in range(7)))
    assert [len(b) for b in writer.batches] == [3, 3, 1]


async def test_a_sender_that_went_away_does_not_stop_the_others() -> None:
    writer = Recorder()
    commit = GroupCommit(writer.write)
    gone = asyncio.create_task(commit.submit(0))
    staying = asyncio.create_task(commit.submit(2))
    await asyncio.sleep(0)
    gone.cancel()
    writer.release.set()
    assert await staying == 20
    assert gone.cancelled()
