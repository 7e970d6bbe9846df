"""Shared fixtures: migrated stores on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store import migrate
from bot.store.db import create_engine, session_factory
from tests.slack.blocks_check import assert_valid_text
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def _server_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(_plain(_server_url()), timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _postgres_database(template: str | None = None) -> Iterator[str]:
    """A fresh database on the test server (a copy of `template` when given), dropped afterwards;
    skips (or fails in CI) when the server is absent."""
    name = f"oncall_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"{copy}'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        message = f"PostgreSQL not reachable at {_server_url()} ({error}): set TEST_POSTGRES_URL"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield make_url(_server_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def fake_slack(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1 that records calls and can be told to fail."""
    monkeypatch.setenv("SLACK_RETRY_SECONDS", "0")  # its failures are instant: no test waits to retry
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    # Every message any test made the app send has a notification text Slack shows as meant.
    for call in fake.calls:
        if isinstance(call.args.get("text"), str):
            assert_valid_text(call.args["text"])


# Migrating takes a second or two per database: each test gets a copy of one migrated per run instead.
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "oncall.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    databases = _postgres_database()
    url = next(databases)
    migrate.upgrade(url)
    yield str(make_url(url).database)
    next(databases, None)  # dropped


@pytest.fixture
def migrated_sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A SQLite database migrated to the newest revision."""
    copy = tmp_path / "oncall.db"
    shutil.copyfile(sqlite_template, copy)
    return f"sqlite+aiosqlite:///{copy}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'oncall.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database migrated to the newest revision, on each backend."""
    if request.param == "sqlite":
        yield request.getfixturevalue("migrated_sqlite_url")
    else:
        yield from _postgres_database(template=request.getfixturevalue("postgres_template"))


@pytest.fixture
async def session_maker(store_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(store_url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def session(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_maker() as session:
        yield session
