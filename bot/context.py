"""What every listener needs, built once at start-up and passed down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.oncall.views import TeamViews
from bot.settings import Settings


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]  # aware UTC; tests pass a fixed one
    runbooks_dir: Path
    views: TeamViews = field(default_factory=TeamViews)  # the team, cached between requests
    source: str = "slack"  # where changes come from, as the audit log names it: slack, shell
