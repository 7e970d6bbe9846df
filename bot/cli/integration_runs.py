"""What `integrations add|list|rotate|remove` do. `add` and `rotate` print the URL, the only time it
is shown (the store keeps its secret's fingerprint only)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.errors import UsageError
from bot.cli.store_access import open_store
from bot.cli.table import format_table
from bot.features.alerts import integrations
from bot.features.alerts.integrations import IntegrationRefused, Issued
from bot.settings import Settings

ACTOR, SOURCE = "cli", "cli"
T = TypeVar("T")


def _print_issued(issued: Issued, fmt: str, said: str) -> None:
    made = issued.integration
    if fmt == "json":
        print(
            json.dumps({"name": made.name, "kind": made.kind, "pipeline": made.pipeline, "url": issued.url})
        )
        return
    print(f"{said} {made.name} ({made.kind}). Its URL, shown only now:\n{issued.url}")


async def _change(settings: Settings, change: Callable[[AsyncSession, datetime], Awaitable[T]]) -> T:
    """One change to the integrations, committed by the service; a refusal is the user's mistake."""
    async with open_store(settings) as sessions, sessions() as session:
        try:
            return await change(session, datetime.now(UTC))
        except IntegrationRefused as refused:
            raise UsageError(str(refused)) from None


async def run_add(args: argparse.Namespace, settings: Settings) -> None:
    issued = await _change(
        settings,
        lambda session, at: integrations.add(
            session,
            name=args.name,
            kind=args.kind,
            pipeline=args.pipeline,
            severity=args.severity,
            base_url=settings.public_url,
            actor=ACTOR,
            source=SOURCE,
            at=at,
        ),
    )
    _print_issued(issued, args.format, "Added")


async def run_rotate(args: argparse.Namespace, settings: Settings) -> None:
    issued = await _change(
        settings,
        lambda session, at: integrations.rotate(
            session, name=args.name, base_url=settings.public_url, actor=ACTOR, source=SOURCE, at=at
        ),
    )
    _print_issued(issued, args.format, "Rotated")


async def run_remove(args: argparse.Namespace, settings: Settings) -> None:
    await _change(
        settings,
        lambda session, at: integrations.remove(session, name=args.name, actor=ACTOR, source=SOURCE, at=at),
    )
    print(f"Removed {args.name}: its URL is refused from now on.")


async def run_list(args: argparse.Namespace, settings: Settings) -> None:
    async with open_store(settings) as sessions, sessions() as session:
        found = await integrations.listed(session)
    if args.format == "json":
        listed = [
            {"name": i.name, "kind": i.kind, "pipeline": i.pipeline, "severity": i.severity} for i in found
        ]
        print(json.dumps(listed, indent=2))
        return
    if not found:
        print("No integration yet: oncall-bot integrations add NAME --kind alertmanager")
        return
    rows = [
        [i.name, i.kind, i.pipeline or "-", i.severity or "from the alert", i.created_at.date().isoformat()]
        for i in found
    ]
    print(format_table(["name", "kind", "pipeline", "severity", "since"], rows))


ACTIONS = {"add": run_add, "list": run_list, "rotate": run_rotate, "remove": run_remove}
