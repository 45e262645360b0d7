"""The build: what it writes, that it writes the same bytes twice, and that a failure keeps the old output."""

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from rlskg.graph.build import BuildResult
from rlskg.graph.errors import GraphBuildError
from rlskg.graph.manifest import Manifest, file_hash
from rlskg.graph.validate import read_dataset
from rlskg.ontology.namespaces import GENID, GRAPH
from tests.support.data import ONTOLOGY, SOURCES
from tests.support.graph import build

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_FILES = [
    "dataset.nq",
    "dataset.trig",
    "manifest.json",
    "ontology/rls-base.owl",
    "ontology/rls-base.ttl",
    "ontology/rls-simple.owl",
    "ontology/rls-simple.ttl",
    "ontology/rls.json",
    "ontology/rls.jsonld",
    "ontology/rls.obo",
    "ontology/rls.owl",
    "ontology/rls.ttl",
    "ontology/rlskg-model.owl",
    "ontology/rlskg-model.ttl",
    "void.ttl",
]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_build_writes_every_file(built: BuildResult) -> None:
    assert sorted(_files(built.out_dir)) == EXPECTED_FILES
    assert [path.relative_to(built.out_dir).as_posix() for path in built.files] == EXPECTED_FILES


def test_build_graphs_in_dataset_order(built: BuildResult) -> None:
    assert list(built.graphs) == [
        str(GRAPH[name]) for name in ("ontology", "alpha", "beta", "simple", "inferred")
    ]
    assert built.graphs[str(GRAPH.simple)] == 2  # not beta's hypothesised claim, nor its rejected one
    assert all(count > 0 for count in built.graphs.values())


def test_manifest_matches_the_files(built: BuildResult) -> None:
    manifest = Manifest.from_json((built.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest.version == built.version == file_hash(built.out_dir / "dataset.nq")
    assert dict(manifest.graphs) == built.graphs
    for name, digest in manifest.files.items():
        assert file_hash(built.out_dir / name) == digest
    assert "time" not in (built.out_dir / "manifest.json").read_text(encoding="utf-8")


def test_nquads_are_sorted_and_trig_holds_the_same_quads(built: BuildResult) -> None:
    lines = (built.out_dir / "dataset.nq").read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines == sorted(lines)
    # Oxigraph's parsers: a second opinion on both syntaxes.
    from_nq = set(ox.parse(path=built.out_dir / "dataset.nq", format=ox.RdfFormat.N_QUADS))
    from_trig = set(ox.parse(path=built.out_dir / "dataset.trig", format=ox.RdfFormat.TRIG))
    assert from_nq == from_trig
    assert len(from_nq) == len(lines) == sum(built.graphs.values())


def test_dataset_has_no_blank_nodes(built: BuildResult) -> None:
    text = (built.out_dir / "dataset.nq").read_text(encoding="utf-8")
    assert " _:" not in text and not text.startswith("_:")
    assert str(GENID) in text  # the fixtures' blank nodes, skolemised


def test_two_builds_are_byte_identical(built: BuildResult, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    assert again.version == built.version
    assert _files(again.out_dir) == _files(built.out_dir)


_BUILD_SCRIPT = """
import sys
from pathlib import Path
from rlskg.graph.build import build_dataset
build_dataset(Path(sys.argv[1]), Path(sys.argv[2]), ontology_file=Path(sys.argv[3]), progress=lambda _l: None)
"""


def test_builds_under_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    # Set iteration order changes with PYTHONHASHSEED; the output must not.
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-c", _BUILD_SCRIPT, str(tmp_path / seed), str(SOURCES), str(ONTOLOGY)]
        subprocess.run(command, check=True, cwd=ROOT, env=env, timeout=120)
    assert _files(tmp_path / "1") == _files(tmp_path / "2")


def test_syntax_error_fails_with_file_and_line_and_keeps_previous_output(
    tmp_path: Path, sources_copy: Path
) -> None:
    out = tmp_path / "build"
    build(out, sources_copy)
    before = _files(out)
    broken = sources_copy / "beta.ttl"
    text = broken.read_text(encoding="utf-8")
    # line 13 loses its ';', which the parser finds on line 14
    broken.write_text(
        text.replace("rls:predicate rls:worsens ;", "rls:predicate rls:worsens"), encoding="utf-8"
    )
    with pytest.raises(GraphBuildError, match=rf"^{broken}:1[34]: invalid Turtle"):
        build(out, sources_copy)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "sources"]  # no temporary folder left


def test_build_keeps_files_it_does_not_write(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(out)
    (out / "docs").mkdir()
    (out / "docs" / "index.html").write_text("docs", encoding="utf-8")
    build(out)
    assert (out / "docs" / "index.html").read_text(encoding="utf-8") == "docs"


def test_build_refuses_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "rls.ttl").write_text("precious", encoding="utf-8")
    with pytest.raises(GraphBuildError, match="not an rlskg build"):
        build(tmp_path)
    assert (tmp_path / "ontology" / "rls.ttl").read_text(encoding="utf-8") == "precious"


def test_build_reports_progress(tmp_path: Path) -> None:
    from rlskg.graph.build import build_dataset

    lines: list[str] = []
    build_dataset(tmp_path / "build", SOURCES, ontology_file=ONTOLOGY, progress=lines.append)
    assert any("reasoning" in line for line in lines)
    assert all(line.startswith("rlskg build: ") for line in lines)


def test_source_graph_holds_exactly_its_file(built: BuildResult) -> None:
    dataset = read_dataset(built.out_dir / "dataset.nq")
    beta = dataset.graph(URIRef(GRAPH.beta))
    assert len(beta) == built.graphs[str(GRAPH.beta)] == 20  # with the hypothesised claim's rls:hedge
