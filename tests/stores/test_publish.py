"""``rlskg publish``: a build into real Oxigraph and Virtuoso servers over the Graph Store Protocol."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.publish import PublishError, publish
from graph.stores.http import request
from service.cli import main
from tests.stores.conftest import OxigraphServer, VirtuosoServer, free_port, start_oxigraph

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def remote_counts(query_url: str) -> dict[str, int]:
    reply = request(
        "POST",  # form-encoded: Virtuoso 7.2 never answers a query POSTed as application/sparql-query
        query_url,
        body=urlencode({"query": COUNTS}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
        timeout=10,
    )
    results = ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in results}


@pytest.mark.server
def test_publish_twice_gives_the_same_triple_counts(built_dataset: Path, tmp_path: Path) -> None:
    server = start_oxigraph(free_port(), tmp_path / "db")
    try:
        manifest = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
        result = CliRunner().invoke(main, ["publish", "--to", server.store, "--out", str(built_dataset)])
        assert result.exit_code == 0, result.output
        assert f"published {manifest['triples']} triples" in result.output
        first = remote_counts(server.query)
        assert first == manifest["graphs"]
        publish(built_dataset, server.store)
        assert remote_counts(server.query) == first
    finally:
        server.stop()


@pytest.mark.server
def test_publish_to_virtuoso_twice_gives_the_same_triple_counts(
    built_dataset: Path, virtuoso_server: VirtuosoServer
) -> None:
    """Published once by the fixture, once more here; its system graphs are private, so only ours show."""
    manifest = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
    assert remote_counts(virtuoso_server.query) == manifest["graphs"]
    result = CliRunner().invoke(main, ["publish", "--to", virtuoso_server.store, "--out", str(built_dataset)])
    assert result.exit_code == 0, result.output
    assert remote_counts(virtuoso_server.query) == manifest["graphs"]


def test_publish_to_an_unreachable_remote_fails_clearly(built_dataset: Path) -> None:
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(
        main, ["publish", "--to", f"http://127.0.0.1:{port}/store", "--out", str(built_dataset)]
    )
    assert result.exit_code == 1
    assert "cannot be reached" in result.output


@pytest.mark.server
def test_publish_to_a_refusing_remote_names_the_graph_and_status(
    built_dataset: Path, oxigraph_server: OxigraphServer
) -> None:
    with pytest.raises(PublishError, match=r"refused <https://w3id.org/rlskg/graph/\w+> with HTTP 4\d\d"):
        publish(built_dataset, oxigraph_server.query)  # the query endpoint takes no PUT


def test_publish_without_a_build_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--to", "http://127.0.0.1:9/store", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no dataset" in result.output
