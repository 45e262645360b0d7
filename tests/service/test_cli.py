"""`rlskg query` and `rlskg serve` on the command line (click's runner; the server runs in test_server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rlskg.cli import main
from tests.support.service import DATA, TRIPLES

LABELS = "SELECT ?c ?l WHERE { ?c rdfs:label ?l } ORDER BY ?l"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.output


def test_query_table_uses_prefixed_names() -> None:
    code, output = run("query", LABELS, "--data", str(DATA))
    assert code == 0
    lines = output.splitlines()
    assert lines[0].split() == ["c", "l"] and lines[2].split()[0] == "rls:Disease"
    assert lines[-1] == "(3 rows)"


@pytest.mark.parametrize(("fmt", "first"), [("csv", "c,l"), ("tsv", "?c\t?l")])
def test_query_csv_and_tsv(fmt: str, first: str) -> None:
    code, output = run("query", LABELS, "--data", str(DATA), "--format", fmt)
    assert code == 0 and output.splitlines()[0] == first


def test_query_json_is_sparql_json() -> None:
    code, output = run(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--data", str(DATA), "--format", "json"
    )
    assert code == 0 and json.loads(output)["results"]["bindings"][0]["n"]["value"] == str(TRIPLES)


def test_query_ask_and_construct() -> None:
    assert run("query", "ASK { ?s ?p ?o }", "--data", str(DATA)) == (0, "true\n")
    code, output = run("query", "CONSTRUCT WHERE { ?s a owl:Class }", "--data", str(DATA))
    assert code == 0 and "<https://w3id.org/rlskg/ontology/Disease>" in output


def test_query_malformed_exits_2() -> None:
    code, output = run("query", "SELECT * WHERE {", "--data", str(DATA))
    assert code == 2 and "1:" in output


def test_query_service_outside_allow_list_exits_2() -> None:
    code, output = run("query", "SELECT * WHERE { SERVICE <http://127.0.0.1/> {} }", "--data", str(DATA))
    assert code == 2 and "refused" in output


def test_query_without_dataset_exits_2() -> None:
    code, output = run("query", "ASK {}", "--out", "/nonexistent")
    assert code == 2 and "rlskg build" in output


def test_query_reads_a_build_folder(tmp_path: Path) -> None:
    (tmp_path / "dataset.trig").write_bytes(DATA.read_bytes())
    code, output = run(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--out", str(tmp_path), "--format", "csv"
    )
    assert code == 0 and output.splitlines()[1] == str(TRIPLES)


def test_serve_help_lists_the_options() -> None:
    code, output = run("serve", "--help")
    assert code == 0
    for option in ("--out", "--data", "--host", "--port", "--workers", "--threads", "--timeout"):
        assert option in output
