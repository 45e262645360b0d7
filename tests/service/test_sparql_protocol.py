"""The SPARQL 1.1 Protocol query operation at /sparql, through the Flask test client."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from tests.support.service import COUNT, GRAPH, RLS, TRIPLES, count, parse

RLS_LABEL = f"SELECT ?l WHERE {{ <{RLS}RestlessLegsSyndrome> <{RDFS.label}> ?l }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{RDFS.label}> ?l }} WHERE {{ ?s <{RDFS.label}> ?l }}"
FORM = "application/x-www-form-urlencoded"


def test_get_sparql_select_is_sparql_json_by_default(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": RLS_LABEL})
    assert response.status_code == 200
    assert response.content_type == "application/sparql-results+json"
    bindings = response.json["results"]["bindings"]  # type: ignore[index]
    assert bindings == [{"l": {"type": "literal", "value": "restless legs syndrome", "xml:lang": "en"}}]


def test_post_sparql_form_encoded_query(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.data.decode().splitlines() == ["n", str(TRIPLES)]


def test_post_sparql_direct_query(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=COUNT.encode(),
        content_type="application/sparql-query",
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200 and response.data.decode().splitlines()[1] == str(TRIPLES)


def test_post_sparql_form_is_decoded_once(client: FlaskClient) -> None:
    # '%2B' and '+' must reach the store as written: decoding twice would turn them into '+' and ' '.
    query = f'ASK {{ ?s <{RDFS.comment}> "a label with a plus + and %2B in it"@en }}'
    response = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.json == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "content_type", "first_line"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "{"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
        ("text/csv", "text/csv; charset=utf-8", "l"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "?l"),
        ("application/json", "application/json", "{"),
    ],
)
def test_get_sparql_select_formats_by_accept(
    client: FlaskClient, accept: str, content_type: str, first_line: str
) -> None:
    response = client.get("/sparql", query_string={"query": RLS_LABEL}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type
    assert response.data.decode().startswith(first_line)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_get_sparql_construct_formats_parse_back(
    client: FlaskClient, accept: str, rdflib_format: str
) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = parse(response.data, rdflib_format)
    assert (URIRef(RLS + "Disease"), RDFS.label, Literal("disease", lang="en")) in graph
    assert len(graph) == 3


@pytest.mark.parametrize(("name", "mimetype"), [("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_get_sparql_format_parameter_overrides_accept(client: FlaskClient, name: str, mimetype: str) -> None:
    response = client.get(
        "/sparql", query_string={"query": COUNT, "format": name}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200 and response.mimetype == mimetype


def test_get_sparql_construct_default_is_turtle(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT})
    assert response.mimetype == "text/turtle" and len(parse(response.data, "turtle")) == 3


def test_get_sparql_browser_gets_turtle_as_text(client: FlaskClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": browser})
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert len(parse(response.data, "turtle")) == 3


@pytest.mark.parametrize(
    ("query", "accept"),
    [(CONSTRUCT, "text/csv"), (RLS_LABEL, "text/turtle"), (RLS_LABEL, "image/png")],
)
def test_get_sparql_unacceptable_format_is_406(client: FlaskClient, query: str, accept: str) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406 and b"available as" in response.data


def test_get_sparql_construct_as_csv_is_406_even_when_form_is_unknown(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert response.status_code == 406


def test_get_sparql_unknown_format_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT, "format": "yaml"})
    assert response.status_code == 400 and b"unknown format" in response.data


def test_get_sparql_malformed_query_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n ?s ?p }"})
    assert response.status_code == 400
    assert b"2:" in response.data  # the parser's line:column
    assert b"Traceback" not in response.data


def test_get_sparql_empty_query_is_400(client: FlaskClient) -> None:
    assert client.get("/sparql", query_string={"query": ""}).status_code == 400


def test_get_sparql_repeated_query_is_400(client: FlaskClient) -> None:
    response = client.get(f"/sparql?query={COUNT}&query={COUNT}")
    assert response.status_code == 400 and b"2 times" in response.data


def test_post_sparql_query_and_update_together_is_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": COUNT, "update": "CLEAR ALL"})
    assert response.status_code == 400 and b"not both" in response.data


def test_post_sparql_query_in_url_and_body_is_400(client: FlaskClient) -> None:
    response = client.post(f"/sparql?query={COUNT}", data={"query": COUNT})
    assert response.status_code == 400


def test_post_sparql_direct_with_query_parameter_is_400(client: FlaskClient) -> None:
    response = client.post(f"/sparql?query={COUNT}", data=COUNT, content_type="application/sparql-query")
    assert response.status_code == 400


def test_post_sparql_without_query_is_400(client: FlaskClient) -> None:
    assert client.post("/sparql", data={"other": "x"}).status_code == 400


def test_get_sparql_graph_parameters_without_query_is_the_description(client: FlaskClient) -> None:
    """Comunica probes an endpoint configured as `.../sparql?default-graph-uri=...` with a GET."""
    response = client.get("/sparql", query_string={"default-graph-uri": GRAPH + "nhs"})
    assert response.status_code == 200 and b"sparql-service-description" in response.data


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json", "multipart/form-data; boundary=x"]
)
def test_post_sparql_unsupported_content_type_is_415(client: FlaskClient, content_type: str) -> None:
    response = client.post("/sparql", data=COUNT, content_type=content_type)
    assert response.status_code == 415


def test_post_sparql_invalid_utf8_is_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data=b"SELECT \xff", content_type="application/sparql-query")
    assert response.status_code == 400


def test_post_sparql_oversized_body_is_413(build_app: Callable[..., Flask]) -> None:
    app = build_app(MAX_REQUEST_BYTES=1000)
    response = app.test_client().post("/sparql", data={"query": COUNT + " " * 2000})
    assert response.status_code == 413 and b"1000 bytes" in response.data
    direct = app.test_client().post("/sparql", data=" " * 2000, content_type="application/sparql-query")
    assert direct.status_code == 413


def test_get_sparql_oversized_url_is_414(build_app: Callable[..., Flask]) -> None:
    app = build_app(MAX_REQUEST_BYTES=1000)
    assert app.test_client().get("/sparql", query_string={"query": COUNT + " " * 2000}).status_code == 414


def test_get_sparql_default_graph_is_the_union(client: FlaskClient) -> None:
    assert count(client) == TRIPLES


def test_get_sparql_default_graph_uri_sets_the_default_graph(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string=[
            ("query", COUNT),
            ("default-graph-uri", GRAPH + "nhs"),
            ("default-graph-uri", GRAPH + "simple"),
        ],
        headers={"Accept": "text/csv"},
    )
    assert response.data.decode().splitlines()[1] == "9"


def test_get_sparql_named_graph_uri_limits_graph_patterns(client: FlaskClient) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = client.get(
        "/sparql",
        query_string=[("query", query), ("named-graph-uri", GRAPH + "simple")],
        headers={"Accept": "text/csv"},
    )
    assert response.data.decode().splitlines()[1:] == [f"{GRAPH}simple,3"]


def test_get_sparql_from_in_query_is_respected(client: FlaskClient) -> None:
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}ontology> WHERE {{ ?s ?p ?o }}") == 8


def test_get_sparql_protocol_dataset_overrides_from(client: FlaskClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}ontology> WHERE {{ ?s ?p ?o }}"
    response = client.get(
        "/sparql",
        query_string={"query": query, "default-graph-uri": GRAPH + "simple"},
        headers={"Accept": "text/csv"},
    )
    assert response.data.decode().splitlines()[1] == "3"


def test_get_sparql_bad_graph_iri_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and b"default-graph-uri" in response.data


def test_get_sparql_declared_prefixes_need_no_prologue(client: FlaskClient) -> None:
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }") == 3


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_get_sparql_service_outside_allow_list_is_403(client: FlaskClient, query: str) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403 and b"refused" in response.data


def test_get_sparql_service_silent_outside_allow_list_answers_no_rows_from_it(client: FlaskClient) -> None:
    """SILENT means a failed call yields one empty solution: the evaluator, which has no
    network, tries and fails, and nothing is refused (W3C's update-silent and service tests)."""
    query = "SELECT * WHERE { SERVICE SILENT <http://169.254.169.254/> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    header, *rows = response.data.decode().split()
    assert response.status_code == 200 and sorted(header.split(",")) == ["o", "p", "s"]
    assert rows == [",,"]  # one solution, nothing bound: the call gave nothing


def test_get_sparql_service_to_loopback_is_403_even_when_listed(build_app: Callable[..., Flask]) -> None:
    target = "http://127.0.0.1:9/sparql"
    app = build_app(SERVICE_ALLOWLIST=[target])
    response = app.test_client().get(
        "/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{}} }}"}
    )
    assert response.status_code == 403 and b"loopback or private" in response.data


def test_get_sparql_service_word_in_a_literal_is_fine(client: FlaskClient) -> None:
    query = "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1/> { }' }"
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def test_get_sparql_deep_nesting_is_400(client: FlaskClient) -> None:
    query = "SELECT * WHERE " + "{" * 1000 + "?s ?p ?o" + "}" * 1000
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and b"deeper than the limit of 128" in response.data


def test_get_sparql_timed_out_query_is_503_and_the_service_goes_on(build_app: Callable[..., Flask]) -> None:
    app = build_app(QUERY_TIMEOUT=0.3)
    client = app.test_client()
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
    response = client.get("/sparql", query_string={"query": runaway})
    assert response.status_code == 503 and b"time limit of 0.3 s" in response.data
    assert response.headers["Retry-After"] == "1"
    assert count(client) == TRIPLES


def test_get_sparql_result_over_size_limit_is_503(build_app: Callable[..., Flask]) -> None:
    app = build_app(MAX_RESULT_BYTES=200)
    response = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 503 and b"limit of 200 bytes" in response.data


def test_get_sparql_error_body_is_json_when_asked(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = json.loads(response.data)["error"]
    assert error["status"] == 400 and "1:" in error["message"]


@pytest.mark.parametrize(
    ("fmt", "filename"), [("xml", "results.srx"), ("csv", "results.csv"), ("json", "results.srj")]
)
def test_an_answer_names_its_file_for_a_browser_download(
    client: FlaskClient, fmt: str, filename: str
) -> None:
    """Review U9: the no-JavaScript query form's XML answer downloaded as a file named 'sparql'."""
    response = client.get("/sparql", query_string={"query": "ASK {}", "format": fmt})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'inline; filename="{filename}"'
