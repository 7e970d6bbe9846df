"""`oncall-bot doctor`: whether `serve` would work here, each problem with what to do about it.

It checks the settings, the database and its migration level, the team file, the runbooks, and with
Slack credentials the token (auth.test), its scopes against manifest.yml, and that the bot is in every
channel it posts to. Nothing is changed anywhere: no migration, no import, no message.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.cli.args import Commands
from bot.settings import MissingSetting, Settings

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    text: str  # what was found; for a problem, also what to do

    def __str__(self) -> str:
        return f"{'ok     ' if self.ok else 'PROBLEM'} {self.check}: {self.text}"


def add_commands(commands: Commands) -> None:
    cmd = commands.add_parser(
        "doctor",
        help="check the settings, the database, the team file, the runbooks and (with credentials) "
        "Slack: the token, its scopes and the bot's channels; exit 1 on any problem",
    )
    cmd.set_defaults(run=run_doctor)


async def run_doctor(args: argparse.Namespace, settings: Settings) -> int:
    team, team_check = await _team(settings)
    findings = [
        *_settings(settings),
        await _database(settings),
        team_check,
        *_runbooks(settings),
        *await _slack(settings, channels=_channels(settings, team)),
    ]
    for finding in findings:
        print(finding)
    problems = sum(1 for f in findings if not f.ok)
    print(f"\n{problems} problem{'s' * (problems != 1)} found." if problems else "\nAll checks passed.")
    return 1 if problems else 0


def _settings(settings: Settings) -> list[Finding]:
    needed = ["slack_bot_token"] + ([] if settings.socket_mode else ["slack_signing_secret"])
    found = []
    for name in needed:
        try:
            settings.require(name)
        except MissingSetting as error:
            found.append(Finding("settings", False, str(error)))
    mode = "Socket Mode (SLACK_APP_TOKEN)" if settings.socket_mode else f"HTTP on port {settings.port}"
    return found or [Finding("settings", True, f"Slack credentials set; events over {mode}")]


async def _database(settings: Settings) -> Finding:
    from sqlalchemy.exc import DBAPIError

    from bot.cli.store_access import database_exists, safe_url
    from bot.store import migrate

    url = safe_url(settings)
    if not await asyncio.to_thread(database_exists, settings.database_url):
        return Finding("database", False, f"there is no database at {url} yet: run `oncall-bot migrate`")
    try:
        current = await _revision(settings.database_url)
    except (OSError, DBAPIError) as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        return Finding("database", False, f"cannot reach {url}: {reason}; check DATABASE_URL")
    head = migrate.head_revision(settings.database_url)
    if current != head:
        return Finding(
            "database",
            False,
            f"{url} is at migration {current or 'none (no tables)'}, the code needs {head}: "
            "run `oncall-bot migrate`",
        )
    return Finding("database", True, f"{url} reachable, at migration {head} (the newest)")


async def _revision(database_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from bot.store.db import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
    finally:
        await engine.dispose()


async def _team(settings: Settings) -> tuple[Any, Finding]:
    """The team file's check, and the team whose channels the bot must be in (None when unreadable)."""
    from bot.features.teamfile.loader import TeamFileError, load_team_file

    path = settings.team_file
    try:
        team = load_team_file(path, runbooks_dir=settings.runbooks_dir)
    except (TeamFileError, OSError) as error:
        text = f"{path} cannot be used: {error}; fix it (or set TEAM_FILE), then `oncall-bot import`"
        return None, Finding("team file", False, text)
    rotations = ", ".join(r.name for r in team.rotations)
    return team, Finding("team file", True, f"{path}: {len(team.people)} people, rotations {rotations}")


def _runbooks(settings: Settings) -> list[Finding]:
    from bot.features.oncall.runbooks import load_all

    folder = settings.runbooks_dir
    if not folder.is_dir():
        return [
            Finding("runbooks", False, f"{folder} is not a folder: set RUNBOOKS_DIR to the runbooks' one")
        ]
    found, problems = load_all(folder)
    if problems:
        return [Finding("runbooks", False, f"{problem}; fix the file") for problem in problems]
    return [Finding("runbooks", True, f"{len(found)} runbooks in {folder}, all readable")]


def _channels(settings: Settings, team: Any) -> list[str]:
    """Where the bot posts: each rotation's channel and the incidents channel."""
    channels = [r.channel for r in team.rotations] if team is not None else []
    if settings.incidents_channel:
        channels.append(settings.incidents_channel)
    return list(dict.fromkeys(channels))


def manifest_scopes(path: Path = MANIFEST) -> list[str] | None:
    """The bot scopes manifest.yml asks for; None without a manifest."""
    import yaml

    if not path.is_file():
        return None
    return list(yaml.safe_load(path.read_text())["oauth_config"]["scopes"]["bot"])


async def _slack(settings: Settings, *, channels: Sequence[str]) -> list[Finding]:
    from slack_sdk.errors import SlackApiError

    from bot.delivery.slack_api import CONNECTION_ERRORS, failure_reason, make_client, refusal_hint

    try:
        token = settings.require("slack_bot_token")
    except MissingSetting:
        return [Finding("slack", False, "not checked without SLACK_BOT_TOKEN")]
    client = make_client(settings, token=token)
    try:
        answer = await client.auth_test()
    except SlackApiError as error:
        reason = failure_reason(error)
        hint = refusal_hint(reason, "") or "check SLACK_BOT_TOKEN and SLACK_API_URL"
        return [Finding("slack token", False, f"auth.test refused it ({reason}): {hint}")]
    except CONNECTION_ERRORS as error:
        where = settings.slack_api_url or "Slack's Web API"
        reason = str(error) or type(error).__name__
        return [Finding("slack token", False, f"cannot reach {where} ({reason}): check SLACK_API_URL")]
    who = f"the bot {answer.get('user')} ({answer.get('user_id')}) in {answer.get('team')}"
    found = [Finding("slack token", True, who)]
    found.append(_scopes(_header(answer.headers, "x-oauth-scopes")))
    member = _Membership(client)
    for channel in channels:
        found.append(await member.check(channel))
    return found


def _header(headers: dict[str, Any], name: str) -> str | None:
    value = next((v for k, v in headers.items() if k.lower() == name), None)
    return ",".join(value) if isinstance(value, list) else value


def _scopes(granted_header: str | None) -> Finding:
    wanted = manifest_scopes()
    if wanted is None:
        return Finding("slack scopes", True, "not compared: manifest.yml is not next to the code")
    if granted_header is None:
        return Finding("slack scopes", False, "Slack did not say which scopes the token has (x-oauth-scopes)")
    missing = [s for s in wanted if s not in {g.strip() for g in granted_header.split(",")}]
    if missing:
        text = f"the token lacks {', '.join(missing)}: add them from manifest.yml and reinstall the app"
        return Finding("slack scopes", False, text)
    return Finding("slack scopes", True, f"every scope manifest.yml asks for ({len(wanted)})")


class _Membership:
    """Whether the bot is in a channel given by id (conversations.info) or by #name (conversations.list)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._by_name: dict[str, dict[str, Any]] | None = None

    async def check(self, channel: str) -> Finding:
        from slack_sdk.errors import SlackApiError

        from bot.delivery.slack_api import CONNECTION_ERRORS, failure_reason, refusal_hint

        try:
            info = await self._info(channel)
        except SlackApiError as error:
            reason = failure_reason(error)
            hint = refusal_hint(reason, channel) or "try again later"
            return Finding(f"channel {channel}", False, f"Slack answered {reason}: {hint}")
        except CONNECTION_ERRORS as error:
            reason = str(error) or type(error).__name__
            return Finding(f"channel {channel}", False, f"Slack could not be asked ({reason})")
        if info is None:
            text = f"no channel {channel} the bot can see: create it, or invite the bot (/invite @oncall-bot)"
            return Finding(f"channel {channel}", False, text)
        if not info.get("is_member"):
            return Finding(
                f"channel {channel}", False, f"the bot is not in it: /invite @oncall-bot in {channel}"
            )
        return Finding(f"channel {channel}", True, "the bot is a member")

    async def _info(self, channel: str) -> dict[str, Any] | None:
        if not channel.startswith("#"):
            answer = await self.client.conversations_info(channel=channel)
            return dict(answer["channel"])
        if self._by_name is None:
            self._by_name = {c["name"]: c for c in await self._all_channels()}
        return self._by_name.get(channel[1:])

    async def _all_channels(self) -> Iterable[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = await self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
            )
            found += page["channels"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found
