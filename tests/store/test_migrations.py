"""Alembic owns every table, forward and back, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.store import migrate
from bot.store.db import create_engine
from bot.store.models import Base


async def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    return names - {"alembic_version"}


async def test_upgrade_downgrade_upgrade_without_drift(empty_store_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_store_url)
    assert await tables(empty_store_url) == set(Base.metadata.tables)
    await asyncio.to_thread(migrate.check, empty_store_url)
    await asyncio.to_thread(migrate.downgrade, empty_store_url)
    assert await tables(empty_store_url) == set()
    await asyncio.to_thread(migrate.upgrade, empty_store_url)
    await asyncio.to_thread(migrate.check, empty_store_url)
    assert await tables(empty_store_url) == set(Base.metadata.tables)


async def test_foreign_keys_are_enforced(store_url: str) -> None:
    engine = create_engine(store_url)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    try:
        async with engine.begin() as connection:
            with pytest.raises(IntegrityError):
                await connection.execute(
                    text(
                        "INSERT INTO absences"
                        " (person_id, starts_at, ends_at, reason, created_at, created_by, source)"
                        " VALUES ('nobody', :t, :t, '', :t, 'cli', 'cli')"
                    ),
                    {"t": now.replace(tzinfo=None)},
                )
    finally:
        await engine.dispose()
