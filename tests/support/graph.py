"""The graph build of the fixture sources (tests/data/sources) against the fixture ontology."""

from pathlib import Path

from rlskg.graph.build import BuildResult, build_dataset
from tests.support.data import ONTOLOGY, SOURCES


def build(out_dir: Path, sources_dir: Path = SOURCES) -> BuildResult:
    """Build the fixture sources against the fixture ontology, quietly."""
    return build_dataset(out_dir, sources_dir, ontology_file=ONTOLOGY, progress=lambda _line: None)
