"""Red team C2 and H4: no SERVICE, LOAD, USING or FROM reaches a target outside the allow-list.

Before: ``SERVICE:admin`` (a keyword glued to a prefixed name), ``.SERVICE<...>``, LOAD spelt the
same ways, and on the rdflib store a ``\\u0022`` that rdflib expands before parsing, all passed the
lexical check: anonymous SSRF to loopback, answers read back. Now the evaluators have no network at
all (a network namespace of their own), the lexical check reads glued keywords and both readings of
``\\u`` escapes, and rdflib never fetches what FROM, USING or LOAD name.

A canary HTTP server on loopback counts every connection; a generated family of spellings is sent
to the service, and the canary must see none of them. One test skips the request guard altogether
and hands the query straight to the evaluators: the boundary must hold without any parsing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from rlskg.graph.stores import QueryDataset, ResultFormats, StoreError
from rlskg.graph.stores.sandbox import sandbox_available
from rlskg.service.state import EXTENSION
from tests.support.canary import Canary
from tests.support.service import TOKEN, bearer, make_app


def query_variants(url: str) -> list[str]:
    """SERVICE spelt every way we know a parser may read it."""
    base = url.rsplit("/", 1)[0] + "/"
    bodies = [
        f"SERVICE <{url}> {{ ?s ?p ?o }}",
        f"SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
        "SERVICE:sparql { ?s ?p ?o }",
        "SERVICESILENT:sparql { ?s ?p ?o }",
        "SERVICEe:sparql { ?s ?p ?o }",
        f"?a ?b ?c .SERVICE<{url}>{{?s ?p ?o}}",
        f"?a ?b ?c .SERVICE SILENT<{url}>{{?s ?p ?o}}",
        f"SERVICE#comment\n<{url}> {{ ?s ?p ?o }}",
        f"SERV\\u0049CE <{url}> {{ ?s ?p ?o }}",
        f"SERVICE <{url[:-1]}\\u0065> {{ ?s ?p ?o }}",
        f'BIND("\\u0022 AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} #" AS ?w)',
    ]
    queries = []
    for body, lower in itertools.product(bodies, (False, True)):
        # lower-casing changes the keywords, never the IRIs' meaning here (all lower-case already)
        text = body.lower() if lower and "\\u" not in body else body
        queries.append(f"PREFIX : <{base}> PREFIX e: <{base}> SELECT * WHERE {{ {text} }}")
    return queries


def update_variants(url: str) -> list[str]:
    base = url.rsplit("/", 1)[0] + "/"
    prologue = f"PREFIX : <{base}> PREFIX e: <{base}> "
    return [
        prologue + f"LOAD <{url}>",
        prologue + f"LOAD SILENT <{url}> INTO GRAPH <http://ex/g>",
        prologue + "LOAD:sparql",
        prologue + "load silent e:sparql",
        prologue + "LOADSILENT:sparql",
        prologue + f"loadSILENT<{url}>",
        prologue
        + f"INSERT {{ GRAPH <http://ex/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE SILENT <{url}> {{ }} }}",
        prologue + "INSERT { GRAPH <http://ex/g> { ?s ?p ?o } } WHERE { SERVICE:sparql { ?s ?p ?o } }",
        prologue
        + f"INSERT {{ GRAPH <http://ex/g> {{ ?s ?p ?o }} }} WHERE {{ ?x ?y ?z .SERVICE<{url}>{{?s ?p ?o}} }}",
    ]


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    application = make_app(STORE=request.param, TOKEN=TOKEN, POOL_SIZE=1)
    yield application
    application.extensions[EXTENSION].store.close()


def test_evaluators_have_no_network() -> None:
    assert sandbox_available(), "this machine must be able to give evaluators a network namespace"
    application = make_app(POOL_SIZE=1)
    try:
        assert application.extensions[EXTENSION].store.sandboxed is True
    finally:
        application.extensions[EXTENSION].store.close()


def test_no_spelling_of_service_reaches_the_canary(app: Flask, canary: Canary) -> None:
    client = app.test_client()
    before = canary.hits
    answers: dict[str, bytes] = {}
    for query in query_variants(canary.url):
        response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/json"})
        answers[query] = response.data
    assert canary.hits == before
    # A 200 is what SERVICE SILENT means when the call fails: no rows from it, never the canary's.
    assert {query: answer for query, answer in answers.items() if b"INTERNAL" in answer} == {}


def test_no_spelling_of_load_or_service_in_an_update_reaches_the_canary(app: Flask, canary: Canary) -> None:
    client = app.test_client()
    before = canary.hits
    for update in update_variants(canary.url):
        response = client.post("/update", data={"update": update}, headers=bearer())
        assert response.status_code in (400, 403), (update, response.data)
    assert canary.hits == before


def test_the_evaluators_alone_keep_service_in(app: Flask, canary: Canary) -> None:
    """No request guard at all: the query goes straight to an evaluator, which has no network."""
    store = app.extensions[EXTENSION].store
    before = canary.hits
    formats = ResultFormats(("application/sparql-results+json",), ())
    with pytest.raises(StoreError):
        store.query(
            f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}",
            formats=formats,
            dataset=QueryDataset(union_default_graph=True),
            timeout=10,
        )
    silent = store.query(
        f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}> {{ ?s ?p ?o }} }}",
        formats=formats,
        timeout=10,
    )
    assert b"INTERNAL" not in silent.body
    assert canary.hits == before


def test_rdflib_reads_no_file_through_using_or_from(tmp_path: Path) -> None:
    secret = tmp_path / "server-local.ttl"
    secret.write_text("<http://ex/secret> <http://ex/is> 'INTERNAL-FILE' .\n", encoding="utf-8")
    application = make_app(STORE="rdflib", TOKEN=TOKEN, POOL_SIZE=1)
    client = application.test_client()
    try:
        client.post(
            "/update",
            data={
                "update": "INSERT { GRAPH <http://ex/exfil> { ?s ?p ?o } } "
                f"USING <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
            },
            headers=bearer(),
        )
        for query in (
            "ASK { GRAPH <http://ex/exfil> { ?s ?p 'INTERNAL-FILE' } }",
            f"ASK FROM <{secret.as_uri()}> {{ ?s ?p 'INTERNAL-FILE' }}",
        ):
            response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
            assert b"true" not in response.data, (query, response.status_code, response.data)
    finally:
        application.extensions[EXTENSION].store.close()
