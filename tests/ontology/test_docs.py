"""pyLODE documentation: every term's label and IAO definition appear in the page."""

from pathlib import Path

from click.testing import CliRunner
from rdflib.namespace import RDFS

from rlskg.ontology.commands import docs_command
from rlskg.ontology.namespaces import IAO_DEFINITION, RLS
from rlskg.ontology.source import load_ontology


def test_docs_show_labels_and_definitions(edit_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(docs_command, ["--out", str(tmp_path), str(edit_file)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    graph = load_ontology(edit_file)
    term = RLS.RestlessLegsSyndrome
    assert str(graph.value(term, RDFS.label)) in page
    assert str(graph.value(term, IAO_DEFINITION)) in page


def test_docs_cli_on_bad_input_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(docs_command, ["--out", str(tmp_path), str(tmp_path / "absent.ttl")])
    assert result.exit_code == 2 and "file not found" in result.output
