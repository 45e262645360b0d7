"""RDF/XML with external entities (XXE) and entity expansion ("billion laughs"), by upload and --data.

pyoxigraph's RDF/XML parser refuses SYSTEM and PUBLIC entities (it has no resolver), so a local
file is never read; but it expands internal entities without any limit, which service.guard
refuses before parsing (see test_issue_xml_entity_expansion.py).
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.rdfxml import document, laughs
from tests.support.service import DATA, bearer, snapshot

RDF = "application/rdf+xml"
ROOT = Path(__file__).resolve().parents[2]

XXE_FILE = document('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")
XXE_PUBLIC = document('<!ENTITY xxe PUBLIC "-//x//y" "file:///etc/passwd">', "&xxe;")
XXE_PARAMETER = document('<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;', "x")
XXE_HTTP = document('<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">', "&xxe;")


def test_pyoxigraph_never_reads_an_external_entity() -> None:
    """The parser itself: a SYSTEM entity naming /etc/passwd is an error, never its content."""
    with pytest.raises(SyntaxError):
        list(ox.parse(XXE_FILE, ox.RdfFormat.RDF_XML))


@pytest.mark.parametrize("body", [XXE_FILE, XXE_PUBLIC, XXE_PARAMETER, XXE_HTTP])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_put_store_with_external_entity_reads_no_file_and_writes_nothing(
    writable_app: Flask, writer: FlaskClient, body: bytes, method: str
) -> None:
    before = snapshot(writable_app)
    response = writer.open(
        "/store?graph=http://ex/g", method=method, data=body, content_type=RDF, headers=bearer()
    )
    assert response.status_code in (400, 413), response.data
    assert b"root:" not in response.data
    assert snapshot(writable_app) == before
    answer = writer.get(
        "/sparql", query_string={"query": "ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'root:')) }"}
    )
    assert answer.json == {"head": {}, "boolean": False}


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_put_store_billion_laughs_is_413_fast_and_writes_nothing(
    writable_app: Flask, writer: FlaskClient, method: str
) -> None:
    before = snapshot(writable_app)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = writer.open(
        "/store?graph=http://ex/g", method=method, data=laughs(9), content_type=RDF, headers=bearer()
    )
    assert response.status_code == 413 and b"XML entities" in response.data, response.data
    assert snapshot(writable_app) == before
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert grown_kib < 50_000  # 3 GB unguarded


def test_put_store_recursive_entity_is_refused(writable_app: Flask, writer: FlaskClient) -> None:
    body = document('<!ENTITY a "&b;"><!ENTITY b "&a;">', "&a;")
    response = writer.put("/store?graph=http://ex/g", data=body, content_type=RDF, headers=bearer())
    assert response.status_code == 413 and b"refers to itself" in response.data


def test_put_store_modest_entities_are_expanded(writable_app: Flask, writer: FlaskClient) -> None:
    """OWL files abbreviate namespaces with entities: that keeps working."""
    body = laughs(3)  # 3,000 bytes
    response = writer.put("/store?graph=http://ex/g", data=body, content_type=RDF, headers=bearer())
    assert response.status_code == 201, response.data
    answer = writer.get(
        "/sparql",
        query_string={"query": "SELECT (STRLEN(?o) AS ?n) WHERE { GRAPH <http://ex/g> { ?s ?p ?o } }"},
        headers={"Accept": "text/csv"},
    )
    assert answer.data.decode().split() == ["n", "3000"]


@pytest.mark.parametrize(("name", "body"), [("xxe.rdf", XXE_FILE), ("laughs.owl", laughs(9))])
def test_serve_data_with_hostile_rdfxml_exits_2_without_reading_or_expanding(
    tmp_path: Path, name: str, body: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    command = [sys.executable, "-m", "rlskg", "query", "ASK { ?s ?p ?o }", "--data", str(path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert b"root:" not in result.stdout + result.stderr
    assert str(path).encode() in result.stderr or name.encode() in result.stderr


def test_serve_data_fixture_still_loads() -> None:
    """The guard leaves ordinary files alone (DATA is TriG)."""
    result = subprocess.run(
        [sys.executable, "-m", "rlskg", "query", "ASK { ?s ?p ?o }", "--data", str(DATA)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
