"""Opening the store from the command line, with failures a person can act on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.errors import CommandFailed
from bot.settings import Settings
from bot.store.db import create_engine, session_factory


def _explain(error: DBAPIError, url: str) -> str:
    text = str(error.orig).lower()
    if "no such table" in text or ("does not exist" in text and "relation" in text):
        return f"the database has no tables yet: run `oncall-bot migrate` (DATABASE_URL={url})"
    return f"the database failed: {error.orig} (DATABASE_URL={url})"


def safe_url(settings: Settings) -> str:
    """DATABASE_URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def database_exists(database_url: str) -> bool:
    """False for a SQLite file not made yet (opening it would make an empty one) or in memory."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    return url.get_backend_name() != "sqlite" or bool(url.database and Path(url.database).is_file())


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database_url)
    try:
        yield session_factory(engine)
    except (OperationalError, ProgrammingError) as error:
        raise CommandFailed(_explain(error, safe_url(settings))) from None
    except (OSError, DBAPIError) as error:
        raise CommandFailed(f"cannot reach the database at {safe_url(settings)}: {error}") from None
    finally:
        await engine.dispose()


async def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the schema to `revision` (Alembic runs its own event loop, so off this one)."""
    from bot.store import migrate

    try:
        await asyncio.to_thread(migrate.upgrade, settings.database_url, revision)
    except Exception as error:  # Alembic raises many kinds; all mean the same to the person here
        reason = " ".join(str(error).split())  # Alembic's and the driver's messages span lines
        raise CommandFailed(f"cannot migrate the database at {safe_url(settings)}: {reason}") from None
