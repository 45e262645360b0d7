"""SERVICE, LOAD and FROM may not reach the machine's own network or its files, even when listed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.support.service import TOKEN, bearer, snapshot

TARGETS = [
    "http://127.0.0.1:8000/sparql",
    "http://127.1/sparql",  # short form of 127.0.0.1
    "http://2130706433/sparql",  # 127.0.0.1 as one number
    "http://0x7f000001/sparql",
    "http://0.0.0.0:8000/sparql",
    "http://[::1]:8000/sparql",
    "http://[::ffff:127.0.0.1]/sparql",
    "http://localhost:8000/sparql",
    "http://LOCALHOST/sparql",
    "http://10.0.0.1/sparql",
    "http://172.16.0.1/sparql",
    "http://172.31.255.254/sparql",
    "http://192.168.1.1/sparql",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fe80::1]/sparql",
    "http://[fc00::1]/sparql",
    "file:///etc/passwd",
    "ftp://example.org/x",
]


@pytest.fixture(scope="module")
def mistaken(request: pytest.FixtureRequest) -> Flask:
    """An app whose allow-list holds every hostile target (an operator's mistake)."""
    from rlskg.service import close_app
    from tests.support.service import make_app

    application = make_app(TOKEN=TOKEN, SERVICE_ALLOWLIST=TARGETS)
    request.addfinalizer(lambda: close_app(application))
    return application


@pytest.mark.parametrize("target", TARGETS)
def test_service_to_private_target_is_refused_even_when_allow_listed(mistaken: Flask, target: str) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    response = mistaken.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 403, response.data
    assert b"refused" in response.data


@pytest.mark.parametrize("target", TARGETS)
def test_load_of_private_target_is_refused_even_when_allow_listed_and_writes_nothing(
    mistaken: Flask, target: str
) -> None:
    before = snapshot(mistaken)
    response = mistaken.test_client().post(
        "/update", data={"update": f"LOAD <{target}> INTO GRAPH <http://ex/g>"}, headers=bearer()
    )
    assert response.status_code == 403, response.data
    assert snapshot(mistaken) == before


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX l: <http://127.0.0.1:8000/> SELECT * WHERE { SERVICE l:sparql { ?s ?p ?o } }",
        "BASE <http://127.0.0.1:8000/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <\\u0068ttp://127.0.0.1:8000/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE#comment\n<http://127.0.0.1:8000/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:8000/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_service_spelt_in_other_ways_is_refused(mistaken: Flask, query: str) -> None:
    response = mistaken.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 403, response.data


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", {}),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "file:///etc/passwd"}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": "http://127.0.0.1:8000/x"}),
    ],
)
def test_from_and_dataset_graphs_are_names_never_fetched(
    client: object, query: str, extra: dict[str, str]
) -> None:
    response = client.get(  # type: ignore[attr-defined]
        "/sparql", query_string={"query": query, **extra}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.data.decode().count("\n") == 1 and b"root:" not in response.data  # header only


def test_service_refused_by_default_with_an_empty_allow_list(build_app: Callable[..., Flask]) -> None:
    response = (
        build_app()
        .test_client()
        .get(
            "/sparql",
            query_string={"query": "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> {} }"},
        )
    )
    assert response.status_code == 403 and b"allow-list" in response.data
