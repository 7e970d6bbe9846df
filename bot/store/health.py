"""Whether the database answers, as the process last found out: the log says once that it is gone
and once that it is back, however many requests fail in between."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
# What a database that is down, refuses connections or does not answer raises (through SQLAlchemy,
# or asyncpg's own timeouts and the socket's errors).
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout, TimeoutError, OSError)


def unreachable(error: BaseException) -> bool:
    return isinstance(error, UNREACHABLE)


class DatabaseHealth:
    def __init__(self) -> None:
        self.answering = True

    def failed(self, error: BaseException) -> None:
        if self.answering:
            self.answering = False
            log.error("the database is not answering: %s", str(error) or type(error).__name__)

    def answered(self) -> None:
        if not self.answering:
            self.answering = True
            log.warning("the database answers again")


HEALTH = DatabaseHealth()  # one per process, which every engine of the process reports to


def watch(engine: AsyncEngine) -> None:
    """Report each connection handed out (after its ping) as an answer, and each lost one as a failure."""

    def checked_out(*_: Any) -> None:
        HEALTH.answered()

    def on_error(context: ExceptionContext) -> None:
        if context.is_disconnect or unreachable(context.original_exception):
            HEALTH.failed(context.original_exception)

    event.listen(engine.sync_engine, "checkout", checked_out)
    event.listen(engine.sync_engine, "handle_error", on_error)
