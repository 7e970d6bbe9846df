"""Finding a teammate from what someone typed: a Slack mention, or an id or name as plain text."""

from __future__ import annotations

import difflib

from bot.core.team import Person
from bot.features.oncall.views import TeamView
from bot.messages.common import escape
from bot.slack.commands.oncall_parse import MENTION


def teammate(view: TeamView, word: str) -> Person | None:
    """The person `word` names: a mention by Slack id, else their id or name, `@` or not, any case."""
    if mention := MENTION.match(word):
        return next((p for p in view.file.people if p.slack_id == mention[1]), None)
    key = word.removeprefix("@").casefold()
    return next((p for p in view.file.people if key in (p.id.casefold(), p.name.casefold())), None)


def closest_teammate(view: TeamView, word: str) -> Person | None:
    by_key = {p.id.casefold(): p for p in view.file.people} | {p.name.casefold(): p for p in view.file.people}
    matches = difflib.get_close_matches(word.removeprefix("@").casefold(), list(by_key), n=1, cutoff=0.6)
    return by_key[matches[0]] if matches else None


def unknown_teammate(view: TeamView, word: str) -> str:
    """What to say when `word` names nobody in the team, with the closest name if one is near."""
    if mention := MENTION.match(word):
        return f"<@{mention[1]}> is not in the team file, so they have no shifts."
    shown = escape(word[:40].replace("`", "'"))
    close = closest_teammate(view, word)
    hint = f" Did you mean {escape(close.name)} (`{close.id}`)?" if close else ""
    return (
        f"There is no teammate called `{shown}` in the team file.{hint} Pick a teammate from the list "
        "Slack offers as you type @, or give their id."
    )
