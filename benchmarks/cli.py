"""Cold start of the command line: `oncall-bot who` and `oncall-bot schedule`, each a fresh process on
a SQLite store holding the Week 6 team, against `python -c pass` (the interpreter alone) and against
the floor (importing just the libraries a read of the store cannot do without), and the same with
`-X importtime` to show which imports cost most.

Run: .venv/bin/python -m benchmarks.cli   (prints figures; asserts nothing)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TARGET_S = 0.4
# What reading the store needs whatever the bot does; `holidays.countries`, as the package loads
# every country's module once any country's holidays are asked for.
FLOOR = "import sqlalchemy.ext.asyncio, aiosqlite, pydantic_settings, holidays.countries"
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "floor: store's libraries": ["-c", FLOOR],
    "oncall-bot who": ["-m", "bot", "who"],
    "oncall-bot schedule": ["-m", "bot", "schedule"],
}


def seconds(argv: list[str], env: dict[str, str]) -> float:
    """The median wall time of `RUNS` fresh processes."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, *argv], env=env, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heaviest_imports(argv: list[str], env: dict[str, str], top: int = 8) -> list[tuple[int, str]]:
    """The top-level packages whose import took longest (cumulative microseconds)."""
    found = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    costs: dict[str, int] = {}
    for line in found.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        if not name.startswith("  "):  # imported by the program itself, not by another module
            costs[name.strip()] = int(parts[1])
    return sorted(((us, name) for name, us in costs.items()), reverse=True)[:top]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{Path(folder) / 'oncall.db'}"}
        subprocess.run(
            [sys.executable, "-m", "bot", "import", "examples/week6-team.yaml"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        baseline = seconds(COMMANDS["python -c pass"], env)
        print(
            f"cold start, median of {RUNS} fresh processes (target: under {TARGET_S} s beyond python alone)"
        )
        for name, argv in COMMANDS.items():
            took = seconds(argv, env)
            extra = "" if argv == COMMANDS["python -c pass"] else f"  (+{took - baseline:.3f} s)"
            print(f"  {name:<26} {took:.3f} s{extra}")
        print(f"floor: {FLOOR}")
        print("heaviest imports of `oncall-bot who` (cumulative):")
        for us, name in heaviest_imports(COMMANDS["oncall-bot who"], env):
            print(f"  {us / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
