"""Red team M5, L4 and L5: uploads, the rdflib store's folder, and what an update's default graph is.

M5, before: Oxigraph parses RDF/XML in time quadratic in its nesting (30,000 levels: 6 s), and the
parse ran in the server worker under the store's lock, which /health takes too. Now an upload is
parsed by an evaluator (killed at the time limit) into N-Triples, and the lock is held only to
apply them.
L4, before: `--store rdflib` failed with the default, relative `--out build` (as_uri of a relative
path). L5, before: an update that matched nothing, because updates see the store's own (empty)
default graph while queries see the union, was a silent 204.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.support.server import start, stop
from tests.support.service import TOKEN, bearer

LEVELS = 20_000


def nested_rdfxml(levels: int) -> bytes:
    opening = '<rdf:Description rdf:about="http://ex/n"><ex:p>' * levels
    closing = "</ex:p></rdf:Description>" * levels
    return (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:ex="http://ex/">{opening}{closing}</rdf:RDF>'
    ).encode()


def test_health_is_answered_while_a_deeply_nested_upload_is_parsed() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RLSKG_TOKEN", TOKEN)
        running = start("--timeout", "30", "--workers", "1")
    try:
        body = nested_rdfxml(LEVELS)
        outcome: list[int] = []
        headers = {"Content-Type": "application/rdf+xml", **bearer()}
        upload = threading.Thread(
            target=lambda: outcome.append(
                running.request("PUT", "/store?graph=http://ex/deep", headers, body)[0]
            )
        )
        began = time.monotonic()
        upload.start()
        latencies = []
        while upload.is_alive():
            asked = time.monotonic()
            assert running.request("GET", "/health")[0] == 200
            latencies.append(time.monotonic() - asked)
            time.sleep(0.05)
        parse_seconds = time.monotonic() - began
        assert outcome and outcome[0] in (201, 204)
        assert len(latencies) > 3, parse_seconds  # the parse took long enough to matter
        assert max(latencies) < 0.5, latencies
    finally:
        stop(running)


def test_the_rdflib_store_opens_a_relative_build_folder(built_dataset: Path, tmp_path: Path) -> None:
    relative = Path("build")
    (tmp_path / relative).symlink_to(built_dataset, target_is_directory=True)
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "rlskg",
            "query",
            "ASK { ?s ?p ?o }",
            "--store",
            "rdflib",
            "--out",
            str(relative),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert "true" in finished.stdout.lower()


def test_an_update_that_matches_nothing_in_the_default_graph_says_so(writer: FlaskClient) -> None:
    """The service's test data, like a build, keeps every triple in a named graph."""
    leg = "https://w3id.org/rlskg/ontology/RestlessLegsSyndrome"
    query = {"query": f"ASK {{ <{leg}> ?p ?o }}"}
    assert writer.get("/sparql", query_string=query, headers={"Accept": "text/csv"}).data.strip() == b"true"
    response = writer.post("/update", data={"update": f"DELETE WHERE {{ <{leg}> ?p ?o }}"}, headers=bearer())
    assert response.status_code == 200
    assert b"default graph" in response.data and b"GRAPH <iri>" in response.data
    assert writer.get("/sparql", query_string=query, headers={"Accept": "text/csv"}).data.strip() == b"true"
    named = f"DELETE WHERE {{ GRAPH ?g {{ <{leg}> ?p ?o }} }}"
    assert writer.post("/update", data={"update": named}, headers=bearer()).status_code == 204
    assert writer.get("/sparql", query_string=query, headers={"Accept": "text/csv"}).data.strip() == b"false"
