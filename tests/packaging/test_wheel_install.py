"""The wheel in a fresh venv, from an empty folder: it migrates and its shell answers."""

from __future__ import annotations

import subprocess

import pytest

from tests.packaging.conftest import Installed, as_image_user, bare_env, process_uid


@pytest.mark.slow
def test_the_wheel_migrates_and_runs_the_shell_from_an_empty_folder(installed: Installed) -> None:
    here = installed.folder("empty")
    env = bare_env(here)
    where = subprocess.run(
        [str(installed.bin / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=here, env=env, capture_output=True, text=True, check=True, **as_image_user(),
    ).stdout  # fmt: skip
    assert where.startswith(str(installed.venv)), "the bot must come from the wheel, not the checkout"
    migrated = subprocess.run(
        [str(installed.bin / "oncall-bot"), "migrate"],
        cwd=here, env=env, capture_output=True, text=True, timeout=120, **as_image_user(),
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    assert "The database is at revision head" in migrated.stdout
    assert (here / "oncall.db").stat().st_uid == process_uid(), "the image's user migrates, not root"
    shell = subprocess.run(
        [str(installed.bin / "oncall-bot"), "shell"],
        cwd=here, env=env, input="/oncall now\n/runbook profit\nquit\n", capture_output=True, text=True,
        timeout=120, **as_image_user(),
    )  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert "Traceback" not in shell.stderr
    assert "Scratch store: the team from" in shell.stdout and "On call now" in shell.stdout
    assert "Primary: @" in shell.stdout and "Month-end checklist" in shell.stdout
