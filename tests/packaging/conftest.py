"""The bot as a user gets it: the wheel built from this checkout, installed in a fresh venv.

The venv has nothing but the wheel; the dependencies come from the venv running the tests (a path
file), so that no test downloads them. Built once per run: it takes a few seconds.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
IMAGE_UID = 10001  # the Dockerfile's USER
PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
SYSTEM_PYTHON = Path(f"/usr/bin/python{PYTHON_VERSION}")
DEPENDENCIES = Path(sysconfig.get_paths()["purelib"])  # this venv's, which the wheel's venv borrows
NOT_SOURCE = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.db",
)


@dataclass(frozen=True)
class Installed:
    venv: Path
    scratch: Path  # a folder every user may enter, for what the processes write

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def folder(self, name: str) -> Path:
        """An empty folder, owned by the image's user when the tests run as root."""
        path = self.scratch / name
        path.mkdir()
        if os.geteuid() == 0:
            os.chown(path, IMAGE_UID, IMAGE_UID)
        return path


def _open_to_others(path: Path) -> bool:
    """Whether another user can reach `path` (and run it, for a program): every folder on its real
    path open to all."""
    real = path.resolve()
    return all(p.stat().st_mode & stat.S_IXOTH for p in (real, *real.parents))


def _interpreter() -> Path | None:
    """A Python of this version for the venv; when the tests run as root, one the image's user can
    run: this one, else the system's (pyenv keeps this one in root's home, closed to others). None
    when that user could run none, or not read the dependencies the venv borrows."""
    ours = Path(sys.executable)
    if os.geteuid() != 0:
        return ours
    if not _open_to_others(DEPENDENCIES):
        return None
    return next((p for p in (ours, SYSTEM_PYTHON) if p.is_file() and _open_to_others(p)), None)


def process_uid() -> int:
    """The user the installed bot runs as: the image's when the tests run as root, else ours."""
    return IMAGE_UID if os.geteuid() == 0 else os.geteuid()


def as_image_user() -> dict[str, Any]:
    """subprocess arguments that run a command as the image's numeric user (its groups only) when
    the tests run as root, and as ourselves otherwise."""
    if os.geteuid() == 0:
        return {"user": IMAGE_UID, "group": IMAGE_UID, "extra_groups": []}
    return {}


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with none of this machine's settings for the bot."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **extra}


@pytest.fixture(scope="session")
def installed() -> Iterator[Installed]:
    interpreter = _interpreter()
    if interpreter is None:
        pytest.skip(
            f"user {IMAGE_UID} could run no Python {PYTHON_VERSION} here: neither {sys.executable} "
            f"nor {SYSTEM_PYTHON} is open to other users, or the dependencies in {DEPENDENCIES} are not"
        )
    scratch = Path(tempfile.mkdtemp(prefix="oncall-wheel-"))
    scratch.chmod(0o755)
    try:
        # Built from a clean copy: a build in the checkout would leave build/ there, and pack what an
        # earlier build left in it.
        source = shutil.copytree(ROOT, scratch / "source", ignore=shutil.ignore_patterns(*NOT_SOURCE))
        wheels = scratch / "wheels"
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(wheels)],
            check=True,
            capture_output=True,
        )
        venv = scratch / "venv"
        subprocess.run([interpreter, "-m", "venv", "--without-pip", str(venv)], check=True)
        [wheel] = wheels.glob("oncall_bot-*.whl")
        python = venv / "bin" / "python"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(python),
                "install",
                "-q",
                "--no-deps",
                "--no-index",
                str(wheel),
            ],
            check=True,
            capture_output=True,
        )
        # Only now the dependencies, behind the venv's own packages: pip saw an empty venv above.
        # They are this version's builds (cp311 and the like), so the system's Python loads them too.
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        (Path(site) / "dependencies.pth").write_text(f"{DEPENDENCIES}\n")
        yield Installed(venv, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
