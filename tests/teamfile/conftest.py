from __future__ import annotations

from pathlib import Path

import pytest

from tests.teamfile.sample import write_runbooks


@pytest.fixture(scope="module")
def runbooks_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_runbooks(tmp_path_factory.mktemp("runbooks"))
