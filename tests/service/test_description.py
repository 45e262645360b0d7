"""The service description (SPARQL 1.1 SD + VoID) on GET /sparql and /service-description."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD

from rlskg.ontology.namespaces import SD
from rlskg.service import close_app, create_app
from tests.support.service import DATA, GRAPH, TRIPLES, parse

ENDPOINT = URIRef("http://localhost/sparql")


def description(client: FlaskClient, path: str = "/sparql", accept: str = "text/turtle") -> Graph:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    return parse(response.data, {"text/turtle": "turtle"}.get(accept, "turtle"))


@pytest.mark.parametrize(
    "path", ["/sparql", "/service-description", "/sparql?default-graph-uri=https://w3id.org/rlskg/graph/nhs"]
)
def test_get_sparql_without_query_is_the_service_description(client: FlaskClient, path: str) -> None:
    graph = description(client, path)
    service = URIRef("http://localhost" + path)  # the URL fetched names the service (Comunica reads it so)
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, ENDPOINT) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV")) in graph


@pytest.mark.parametrize(
    ("query", "default_triples", "named"),
    [
        ("default-graph-uri=https%3A%2F%2Fw3id.org%2Frlskg%2Fgraph%2Fnhs", 6, set()),
        (
            f"default-graph-uri={GRAPH}nhs&default-graph-uri={GRAPH}simple&named-graph-uri={GRAPH}ontology",
            9,
            {GRAPH + "ontology"},
        ),
    ],
)
def test_a_dataset_scoped_url_describes_its_own_dataset(
    client: FlaskClient, query: str, default_triples: int, named: set[str]
) -> None:
    """/sparql?default-graph-uri=G (a Virtuoso-style endpoint URL) is described with the dataset a
    query sent there sees, under the URL exactly as fetched (still percent-encoded)."""
    graph = description(client, f"/sparql?{query}")
    service = URIRef(f"http://localhost/sparql?{query}")
    assert (service, SD.endpoint, ENDPOINT) in graph
    dataset = graph.value(service, SD.defaultDataset)
    assert dataset is not None and len(list(graph.objects(service, SD.defaultDataset))) == 1
    assert graph.value(graph.value(dataset, SD.defaultGraph), VOID.triples) == Literal(default_triples)
    assert {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)} == named
    assert (None, VOID.sparqlEndpoint, None) not in graph  # the union's VoID is not this dataset


def test_service_description_lists_named_graphs_with_sizes(client: FlaskClient) -> None:
    graph = description(client)
    sizes = {}
    for named in graph.objects(None, SD.namedGraph):
        name = graph.value(named, SD.name)
        sizes[str(name)] = graph.value(graph.value(named, SD.graph), VOID.triples)
    assert sizes == {
        GRAPH + "ontology": Literal(8, datatype=XSD.integer),
        GRAPH + "nhs": Literal(6, datatype=XSD.integer),
        GRAPH + "simple": Literal(3, datatype=XSD.integer),
    }
    dataset = graph.value(ENDPOINT, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    assert isinstance(dataset, BNode) and graph.value(default, VOID.triples) == Literal(TRIPLES)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("application/n-triples", "nt")],
)
def test_service_description_formats(client: FlaskClient, accept: str, rdflib_format: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert (ENDPOINT, RDF.type, SD.Service) in parse(response.data, rdflib_format)


def test_service_description_for_a_browser_is_turtle_as_text(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert (ENDPOINT, RDF.type, SD.Service) in parse(response.data, "turtle")


def test_service_description_in_csv_is_406(client: FlaskClient) -> None:
    assert client.get("/sparql", headers={"Accept": "text/csv"}).status_code == 406


def test_service_description_says_update_when_writable(writer: FlaskClient) -> None:
    assert (ENDPOINT, SD.supportedLanguage, SD.SPARQL11Update) in description(writer)


def test_service_description_merges_the_build_void(tmp_path: Path, build_app: Callable[..., Flask]) -> None:
    shutil.copy(DATA, tmp_path / "dataset.trig")
    dataset = "https://w3id.org/rlskg/dataset"
    void = f"<{dataset}> a <{VOID.Dataset}> ; <{VOID.subset}> <{dataset}/part> .\n"
    (tmp_path / "void.ttl").write_text(void + f"<{dataset}/part> a <{VOID.Dataset}> .\n")
    (tmp_path / "manifest.json").write_text('{"version": "abc", "graphs": {}, "files": {}}')
    app = create_app({"OUT": str(tmp_path), "POOL_SIZE": 1, "ACCESS_LOG": False})
    try:
        graph = description(app.test_client())
    finally:
        close_app(app)
    assert (ENDPOINT, SD.defaultDataset, URIRef(dataset)) in graph
    assert (URIRef(dataset), RDF.type, VOID.Dataset) in graph
    assert (URIRef(dataset), RDF.type, SD.Dataset) in graph
