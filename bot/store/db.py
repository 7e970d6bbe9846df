"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production, replicas)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.store.health import watch

SQLITE_BUSY_TIMEOUT_MS = 2000
# A database that does not answer is known within Slack's 3 seconds, with time left to say so: a
# pooled connection's ping gives up after STATEMENT_SECONDS, connecting afresh after CONNECT_SECONDS.
CONNECT_SECONDS = 0.75
STATEMENT_SECONDS = 1.0


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off by default; WAL and a busy timeout let two processes share a file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _timeouts(backend: str) -> dict[str, Any]:
    if backend == "postgresql":  # asyncpg's own: connecting, and every statement
        connect_args = {"timeout": CONNECT_SECONDS, "command_timeout": STATEMENT_SECONDS}
    else:
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    return {"connect_args": connect_args, "pool_timeout": CONNECT_SECONDS}


def create_engine(url: str, *, timeouts: bool = True) -> AsyncEngine:
    """An async engine for the URL; SQLite connections get foreign keys, WAL and a busy timeout.

    With `timeouts` (all but migrations, whose statements may rightly take long) no connection,
    statement or wait for a pooled connection takes more than a second or two."""
    backend = make_url(url).get_backend_name()
    options = _timeouts(backend) if timeouts else {}
    engine = create_async_engine(url, pool_pre_ping=backend != "sqlite", **options)
    if backend == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    watch(engine)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
