"""Fixtures of the graph-build tests: the fixture sources and ontology, and one build of them
shared by the tests that only read it."""

import shutil
from pathlib import Path

import pytest

from rlskg.graph.build import BuildResult, build_dataset

DATA = Path(__file__).resolve().parent.parent / "data"
SOURCES = DATA / "sources"
ONTOLOGY = DATA / "graph-ontology.ttl"


def build(out_dir: Path, sources_dir: Path = SOURCES) -> BuildResult:
    """Build the fixture sources against the fixture ontology, quietly."""
    return build_dataset(out_dir, sources_dir, ontology_file=ONTOLOGY, progress=lambda _line: None)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One build of the fixtures, for tests that do not change it."""
    return build(tmp_path_factory.mktemp("built") / "build")


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A copy of the fixture sources that a test may break."""
    return Path(shutil.copytree(SOURCES, tmp_path / "sources"))
