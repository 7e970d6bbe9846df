"""The engine stays pure: the standard library, itself, and `holidays` behind one adapter."""

import ast
import subprocess
import sys
from pathlib import Path

import bot.core.schedule

PACKAGE = Path(bot.core.schedule.__file__).parent


def test_importing_every_engine_module_loads_no_slack_or_database() -> None:
    modules = sorted(f"bot.core.schedule.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "edges = ('slack_bolt', 'slack_sdk', 'sqlalchemy')\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in edges))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(modules) >= 6
    assert result.stdout.strip() == ""


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module)
    return roots


def test_only_the_holiday_adapter_imports_a_third_party_package() -> None:
    for path in PACKAGE.glob("*.py"):
        outside = {
            name
            for name in imported_roots(path)
            if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith("bot.core.schedule")
        }
        assert outside == ({"holidays"} if path.name == "holiday_calendar.py" else set()), path.name
