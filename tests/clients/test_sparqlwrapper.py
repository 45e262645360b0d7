"""SPARQLWrapper (PyPI) against a real `rlskg serve`: every result format it has, by each of its
request methods (GET, a form POST, a direct POST), updates with and without the bearer token, and
a malformed query."""

from __future__ import annotations

import csv
import io
import urllib.parse
import warnings
from typing import Any
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from tests.clients.expected import (
    ASK_FALSE,
    ASK_TRUE,
    CONSTRUCT_SIMPLE,
    COUNT,
    DESCRIBE_RESTLESS_LEGS,
    LABELS,
    RESTLESS_LEGS,
    SIMPLE,
    described,
    graph,
    read,
)
from tests.support.server import Server
from tests.support.service import TOKEN, TRIPLES

pytestmark = pytest.mark.server

METHODS = ["GET", URLENCODED, POSTDIRECTLY]  # GET, a form POST, a direct POST
SOLUTION_FORMATS = [JSON, XML, CSV, TSV]
GRAPH_FORMATS = [TURTLE, JSONLD, N3, RDFXML]
LABELS_BY_SUBJECT = "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l"
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
REFUSED = "urn:x-rlskg-test:refused"


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method != "GET":
        client.setMethod(POST)
        client.setRequestMethod(method)
    return client


def converted(client: SPARQLWrapper) -> Any:
    """The result, as SPARQLWrapper converts it (it reads JSON-LD and RDF/XML into a
    ConjunctiveGraph, which rdflib 7 deprecates)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return client.queryAndConvert()


def labels(fmt: str, result: Any) -> list[tuple[str, str, str | None]]:
    """(subject, label, language) of each row of a SELECT ?s ?l result, in its order."""
    if fmt == JSON:
        return [
            (row["s"]["value"], row["l"]["value"], row["l"].get("xml:lang"))
            for row in result["results"]["bindings"]
        ]
    if fmt == XML:
        assert isinstance(result, Document)
        rows = []
        for solution in result.getElementsByTagNameNS(SPARQL_RESULTS, "result"):
            values: dict[str, tuple[str, str | None]] = {}
            for binding in solution.getElementsByTagNameNS(SPARQL_RESULTS, "binding"):
                term = next(node for node in binding.childNodes if node.nodeType == node.ELEMENT_NODE)
                language = term.getAttribute("xml:lang") or None
                values[binding.getAttribute("name")] = (term.firstChild.data, language)  # type: ignore[union-attr]
            rows.append((values["s"][0], *values["l"]))
        return rows
    assert isinstance(result, bytes)
    if fmt == CSV:  # plain values: no language
        header, *records = list(csv.reader(io.StringIO(result.decode())))
        assert header == ["s", "l"]
        return [(s, label, None) for s, label in records]
    assert fmt == TSV
    head, *lines = result.decode().splitlines()
    assert head == "?s\t?l"
    rows = []
    for line in lines:
        s, label = line.split("\t")
        text, _, language = label.rpartition("@")
        rows.append((s.strip("<>"), text.strip('"'), language))
    return rows


def boolean(fmt: str, result: Any) -> bool:
    if fmt == JSON:
        value = result["boolean"]
        assert isinstance(value, bool)
        return value
    if fmt == XML:
        assert isinstance(result, Document)
        (element,) = result.getElementsByTagNameNS(SPARQL_RESULTS, "boolean")
        text = element.firstChild.data  # type: ignore[union-attr]
    else:  # CSV and TSV have no boolean form: the service writes the word alone
        assert isinstance(result, bytes)
        text = result.decode()
    assert text.strip() in ("true", "false"), text
    return text.strip() == "true"


def as_graph(fmt: str, result: Any) -> Graph:
    """A CONSTRUCT or DESCRIBE result as an rdflib Graph: SPARQLWrapper gives Turtle and N3 as
    bytes, JSON-LD and RDF/XML already parsed."""
    if isinstance(result, bytes):
        assert fmt in (TURTLE, N3)
        return read(result, "turtle" if fmt == TURTLE else "n3")
    assert isinstance(result, Graph), type(result)
    out = Graph()
    for triple in result.triples((None, None, None)):
        out.add(triple)
    return out


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", SOLUTION_FORMATS)
def test_select_in_every_format_by_every_method(endpoint: str, fmt: str, method: str) -> None:
    result = converted(wrapper(endpoint, LABELS_BY_SUBJECT, fmt, method))
    expected = sorted(
        ((str(s), str(label), label.language) for s, label in LABELS.items()), key=lambda r: r[1]
    )
    if fmt == CSV:
        expected = [(s, label, None) for s, label, _ in expected]
    assert labels(fmt, result) == expected


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", SOLUTION_FORMATS)
def test_ask_in_every_format_by_every_method(endpoint: str, fmt: str, method: str) -> None:
    assert boolean(fmt, converted(wrapper(endpoint, ASK_TRUE, fmt, method))) is True
    assert boolean(fmt, converted(wrapper(endpoint, ASK_FALSE, fmt, method))) is False


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_construct_in_every_graph_format_by_every_method(endpoint: str, fmt: str, method: str) -> None:
    result = as_graph(fmt, converted(wrapper(endpoint, CONSTRUCT_SIMPLE, fmt, method)))
    assert len(result) == 3
    assert isomorphic(result, graph(SIMPLE))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_describe_in_every_graph_format_by_every_method(endpoint: str, fmt: str, method: str) -> None:
    result = as_graph(fmt, converted(wrapper(endpoint, DESCRIBE_RESTLESS_LEGS, fmt, method)))
    assert len(result) == 5  # 3 triples in the ontology graph, 2 in the simple graph
    assert isomorphic(result, described(RESTLESS_LEGS))


def test_rdfxml_by_get_with_every_format_parameter_sparqlwrapper_sends(endpoint: str) -> None:
    """By GET (its default method), SPARQLWrapper asks for RDF/XML with two values of each of
    format=, output= and results= (this was answered 400)."""
    client = wrapper(endpoint, CONSTRUCT_SIMPLE, RDFXML)
    sent = urllib.parse.parse_qs(urllib.parse.urlsplit(client._createRequest().full_url).query)
    for parameter in ("format", "output", "results"):
        assert sent[parameter] == ["rdf+xml", "application/rdf+xml"]
    assert client.method == GET
    assert isomorphic(as_graph(RDFXML, converted(client)), graph(SIMPLE))


def count(endpoint: str, query: str = COUNT) -> int:
    result = converted(wrapper(endpoint, query, JSON))
    return int(result["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("path", ["/sparql", "/update"])
@pytest.mark.parametrize("method", [URLENCODED, POSTDIRECTLY])
def test_update_with_the_bearer_token_is_written_read_back_and_deleted(
    server: Server, endpoint: str, path: str, method: str
) -> None:
    name = URIRef(f"urn:x-rlskg-test:sparqlwrapper:{method}:{path.strip('/')}")
    triple = f"<urn:x-rlskg-test:thing> <http://www.w3.org/2000/01/rdf-schema#label> 'written by {method}'@en"

    def update(text: str) -> int:
        client = SPARQLWrapper(endpoint, updateEndpoint=f"http://127.0.0.1:{server.port}{path}")
        client.setMethod(POST)
        client.setRequestMethod(method)
        client.addCustomHttpHeader("Authorization", "Bearer " + TOKEN)
        client.setQuery(text)
        assert client.isSparqlUpdateRequest()
        status: int = client.query().response.status
        return status

    assert update(f"INSERT DATA {{ GRAPH <{name}> {{ {triple} }} }}") == 204
    read = f"SELECT ?s ?l WHERE {{ GRAPH <{name}> {{ ?s rdfs:label ?l }} }}"
    rows = converted(wrapper(endpoint, read, JSON))["results"]["bindings"]
    assert [(r["s"]["value"], r["l"]["value"], r["l"]["xml:lang"]) for r in rows] == [
        ("urn:x-rlskg-test:thing", f"written by {method}", "en")
    ]
    assert count(endpoint) == TRIPLES + 1
    assert update(f"DELETE DATA {{ GRAPH <{name}> {{ {triple} }} }}") == 204
    assert converted(wrapper(endpoint, read, JSON))["results"]["bindings"] == []
    assert count(endpoint) == TRIPLES


@pytest.mark.parametrize("method", [URLENCODED, POSTDIRECTLY])
def test_update_without_the_token_is_unauthorized(endpoint: str, method: str) -> None:
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    client.setMethod(POST)
    client.setRequestMethod(method)
    client.setQuery(
        "INSERT DATA { GRAPH <urn:x-rlskg-test:refused> { <urn:x-rlskg-test:a> <urn:x-rlskg-test:b> 1 } }"
    )
    with pytest.raises(Unauthorized):
        client.query()
    assert count(endpoint) == TRIPLES
    assert (
        count(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x-rlskg-test:refused> { ?s ?p ?o } }")
        == 0
    )


@pytest.mark.parametrize("method", METHODS)
def test_malformed_query_raises_query_bad_formed_with_the_position(endpoint: str, method: str) -> None:
    client = wrapper(endpoint, "SELECT ?s WHERE { ?s ?p }", JSON, method)
    with pytest.raises(QueryBadFormed) as raised:
        client.query()
    assert "error at 1:26" in str(raised.value)
