"""Fixtures of the graph-build tests: one build of the fixture sources shared by the tests that only
read it, and a copy of the sources that a test may break (tests/support/graph.py builds them)."""

import shutil
from pathlib import Path

import pytest

from rlskg.graph.build import BuildResult
from tests.support.data import SOURCES
from tests.support.graph import build


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One build of the fixtures, for tests that do not change it."""
    return build(tmp_path_factory.mktemp("built") / "build")


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A copy of the fixture sources that a test may break."""
    return Path(shutil.copytree(SOURCES, tmp_path / "sources"))
