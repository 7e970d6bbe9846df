"""Runbook files on disk: a plain .md file of the runbooks folder, read and parsed."""

from __future__ import annotations

from pathlib import Path

from bot.core.runbooks.parse import Runbook, RunbookError, is_runbook_name, parse_runbook


def load_runbook(runbooks_dir: Path, filename: str) -> Runbook:
    """Read a runbook by file name; only a plain .md file directly inside the folder is allowed."""
    if not is_runbook_name(filename):
        raise RunbookError(f"{filename[:100]!r} is not a runbook file name (a plain name ending in .md)")
    folder = runbooks_dir.resolve()
    path = (folder / filename).resolve()
    if path.parent != folder:  # a symbolic link that leads out of the folder
        raise RunbookError(f"{runbooks_dir / filename}: leads outside {runbooks_dir}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunbookError(f"{runbooks_dir / filename}: no such runbook") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunbookError(f"{runbooks_dir / filename}: cannot be read: {error}") from None
    runbook = parse_runbook(text, source=str(runbooks_dir / filename))
    if runbook.key != filename.removesuffix(".md"):
        raise RunbookError(f"{runbooks_dir / filename}: its key {runbook.key!r} does not match the file name")
    return runbook


def load_all(runbooks_dir: Path) -> tuple[dict[str, Runbook], list[RunbookError]]:
    """Every runbook of the folder, and the problems of those that failed (reported at start-up)."""
    found: dict[str, Runbook] = {}
    problems: list[RunbookError] = []
    for path in sorted(runbooks_dir.glob("*.md")):
        try:
            runbook = load_runbook(runbooks_dir, path.name)
        except RunbookError as error:
            problems.append(error)
            continue
        found[runbook.key] = runbook
    return found, problems
