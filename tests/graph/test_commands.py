"""The ``rlskg build`` command."""

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

import rlskg.graph.commands
from rlskg.graph.build import build_dataset
from rlskg.graph.commands import build_command
from tests.support.data import ONTOLOGY, SOURCES


@pytest.fixture(autouse=True)
def fixture_ontology(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build against the fixture ontology, not ontology/rls.ttl."""
    monkeypatch.setattr(
        rlskg.graph.commands, "build_dataset", functools.partial(build_dataset, ontology_file=ONTOLOGY)
    )


def test_build_prints_triples_per_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(build_command, ["--out", str(tmp_path / "out"), "--sources", str(SOURCES)])
    assert result.exit_code == 0, result.output
    for name in ("ontology", "alpha", "beta", "simple", "inferred"):
        assert f"https://w3id.org/rlskg/graph/{name}" in result.stdout
    assert "total" in result.stdout
    assert "rlskg build: reasoning" in result.stderr
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_build_bad_source_exits_2_without_traceback(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "bad.ttl").write_text("@prefix ex: <http://ex/> .\nex:a ex:b .\n", encoding="utf-8")
    result = CliRunner().invoke(build_command, ["--out", str(tmp_path / "out"), "--sources", str(sources)])
    assert result.exit_code == 2
    assert f"error: {sources / 'bad.ttl'}:2: invalid Turtle" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_build_is_registered_on_the_cli() -> None:
    from rlskg.cli import main

    assert main.commands["build"] is build_command
