"""The files that ship with the bot: migrations, example team files and runbooks.

In a checkout they are the repository's top-level folders; an installed wheel has them inside the
package, as `bot/shipped/<folder>` (setup.py maps them there).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
EXAMPLE_TEAM_FILES = {"week6": "week6-team.yaml", "week5": "week5-team.yaml"}


def shipped(folder: str) -> Path:
    """`migrations`, `examples` or `runbooks`, wherever this installation keeps it."""
    inside = PACKAGE / "shipped" / folder
    return inside if inside.is_dir() else PACKAGE.parent / folder


def example_team_file(name: str = "week6") -> Path:
    return shipped("examples") / EXAMPLE_TEAM_FILES[name]


def runbooks_beside(team_file: Path) -> Path:
    """Where a team file's runbooks are: the `runbooks` folder beside it, else beside its folder
    (as the examples keep theirs: `examples/` and `runbooks/` side by side)."""
    for folder in (team_file.parent, team_file.parent.parent):
        if (folder / "runbooks").is_dir():
            return folder / "runbooks"
    return team_file.parent / "runbooks"
