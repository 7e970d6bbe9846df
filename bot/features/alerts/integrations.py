"""Integrations: a named door for alerts, reached by a URL whose long random secret is its only
password. Only the secret's SHA-256 is stored, so a URL is shown once, when made or rotated."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.alerts import INTEGRATION_KINDS
from bot.core.incidents.model import SEVERITIES
from bot.features.calendar.feeds import fingerprint
from bot.features.oncall.views import NoTeam, load_view
from bot.store import audit
from bot.store import integrations as store
from bot.store.integrations import Integration

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class IntegrationRefused(Exception):
    """What cannot be done, said for the person who asked."""


@dataclass(frozen=True)
class Issued:
    integration: Integration
    url: str  # shown this once: only its secret's fingerprint is kept


def url_of(base_url: str, secret: str, kind: str) -> str:
    return f"{base_url.rstrip('/')}/integrations/{secret}/{kind}"


async def _check_pipeline(session: AsyncSession, kind: str, pipeline: str | None) -> None:
    if kind == "heartbeat" and pipeline is None:
        raise IntegrationRefused("a heartbeat reports for one pipeline: give --pipeline KEY")
    if pipeline is None:
        return
    try:
        keys = [p.key for p in (await load_view(session)).file.pipelines]
    except NoTeam:
        keys = []
    if pipeline not in keys:
        known = ", ".join(keys) or "none: import a team file first"
        raise IntegrationRefused(f"no pipeline has the key {pipeline!r} (known: {known})")


async def add(
    session: AsyncSession,
    *,
    name: str,
    kind: str,
    pipeline: str | None,
    severity: str | None,
    base_url: str,
    actor: str,
    source: str,
    at: datetime,
) -> Issued:
    """Make an integration and its URL; refused for a bad name, kind, pipeline or severity."""
    if not NAME.match(name):
        raise IntegrationRefused(f"{name!r} is not a name: lowercase letters, digits, '-' or '_' (like prom)")
    if kind not in INTEGRATION_KINDS:
        raise IntegrationRefused(f"{kind!r} is not a kind: use {', '.join(INTEGRATION_KINDS)}")
    if severity is not None and severity not in SEVERITIES:
        raise IntegrationRefused(f"{severity!r} is not a severity: use {', '.join(SEVERITIES)}")
    await _check_pipeline(session, kind, pipeline)
    secret = secrets.token_urlsafe(32)
    try:
        await store.add(
            session,
            name=name,
            kind=kind,
            pipeline=pipeline,
            severity=severity,
            secret_hash=fingerprint(secret),
            at=at,
        )
    except IntegrityError:
        await session.rollback()
        raise IntegrationRefused(f"an integration called {name!r} exists already") from None
    await audit.record(session, actor=actor, source=source, action="integration.add", subject=name, at=at)
    await session.commit()
    made = await store.by_name(session, name)
    assert made is not None
    return Issued(made, url_of(base_url, secret, kind))


async def rotate(
    session: AsyncSession, *, name: str, base_url: str, actor: str, source: str, at: datetime
) -> Issued:
    """A new secret: the old URL is refused from now on."""
    secret = secrets.token_urlsafe(32)
    if not await store.rotate(session, name=name, secret_hash=fingerprint(secret), at=at):
        raise IntegrationRefused(f"there is no integration called {name!r}")
    await audit.record(session, actor=actor, source=source, action="integration.rotate", subject=name, at=at)
    await session.commit()
    rotated = await store.by_name(session, name)
    assert rotated is not None
    return Issued(rotated, url_of(base_url, secret, rotated.kind))


async def remove(session: AsyncSession, *, name: str, actor: str, source: str, at: datetime) -> None:
    """Delete it: its URL is refused from now on; the alerts it brought stay in the history."""
    if not await store.remove(session, name=name):
        raise IntegrationRefused(f"there is no integration called {name!r}")
    await audit.record(session, actor=actor, source=source, action="integration.remove", subject=name, at=at)
    await session.commit()


async def listed(session: AsyncSession) -> list[Integration]:
    return await store.all_integrations(session)


async def behind(session: AsyncSession, url_secrets: Collection[str]) -> dict[str, Integration]:
    """The integrations these URLs' secrets open, by secret; a wrong, rotated or removed one is absent."""
    hashes = {fingerprint(secret): secret for secret in url_secrets}
    found = await store.by_secret_hashes(session, hashes.keys())
    return {hashes[secret_hash]: integration for secret_hash, integration in found.items()}
