"""Group commit: requests that arrive while one batch is being written wait, and are written together
in the next, so a storm of alerts costs one transaction per batch instead of one per alert, and each
sender is still answered only after its own alert is committed. No batch waits for company: the
first request of a quiet moment is written at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

BATCH_MOST = 200  # requests written together at most: a batch stays well inside a second


class GroupCommit(Generic[Item, Result]):
    """Runs `write` on the items waiting, one batch at a time; `write` gives a result or an
    exception per item, in order."""

    def __init__(
        self,
        write: Callable[[Sequence[Item]], Awaitable[Sequence[Result | Exception]]],
        most: int = BATCH_MOST,
    ) -> None:
        self.write, self.most = write, most
        self.waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """The item's result once its batch is written; its exception if that failed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self.waiting.append((item, future))
        if self.writer is None:
            self.writer = asyncio.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        batch: list[tuple[Item, asyncio.Future[Result]]] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[: self.most], self.waiting[self.most :]
                try:
                    results = await self.write([item for item, _ in batch])
                except Exception as error:  # the whole batch failed: every sender in it hears why
                    results = [error] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # its sender went away
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:  # cancelled at shutdown: nobody is left waiting for ever
            self.writer = None
            for _, future in (*batch, *self.waiting):
                future.cancel()
            self.waiting = []
