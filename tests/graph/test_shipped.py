"""The shipped sources and ontology build, and the build passes every data check."""

from pathlib import Path

import pytest

from rlskg.graph.manifest import MANIFEST, Manifest
from rlskg.graph.validate import check_dataset
from rlskg.ontology.namespaces import GRAPH


@pytest.mark.slow
def test_shipped_build_has_no_problem(built_dataset: Path) -> None:
    problems = check_dataset(built_dataset)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.slow
def test_shipped_build_has_every_graph(built_dataset: Path) -> None:
    manifest = Manifest.from_json((built_dataset / MANIFEST).read_text(encoding="utf-8"))
    for name in ("ontology", "nhs", "webmd", "clinic", "verywell", "overview", "simple", "inferred"):
        assert manifest.graphs.get(str(GRAPH[name]), 0) > 0, name
