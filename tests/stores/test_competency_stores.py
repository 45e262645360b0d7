"""Every competency question answers the recorded rows on every store, through the service.

The rows recorded for the embedded store (``tests/graph/competency/*.tsv``) are compared as RDF
terms with what the service answers over each backend: in memory, on disk (RocksDB, read-only,
evaluators reopened after exec), rdflib, and a real Oxigraph server filled with ``rlskg publish``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask

from graph.competency import CompetencyQuestion, load_questions
from graph.competency.answers import TOO_SLOW_ON_RDFLIB, solution_rows
from service import close_app, create_app
from tests.graph.test_competency import EXPECTED_DIR
from tests.stores.conftest import OxigraphServer

QUESTIONS = load_questions()
BACKENDS = ["oxigraph", "oxigraph:PATH", "rdflib", "sparql"]


@pytest.fixture(scope="module", params=BACKENDS)
def store_app(
    request: pytest.FixtureRequest, built_dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Flask]]:
    """(backend, an app serving the built dataset from it)."""
    backend = spec = str(request.param)
    if spec == "oxigraph:PATH":
        spec = f"oxigraph:{tmp_path_factory.mktemp('disk') / 'store'}"
    config = {"STORE": spec, "OUT": str(built_dataset), "POOL_SIZE": 1, "ACCESS_LOG": False}
    if spec == "sparql":
        server: OxigraphServer = request.getfixturevalue("oxigraph_server")
        config["STORE"] = server.spec
    app = create_app(config)
    yield backend, app
    close_app(app)


@pytest.mark.server
@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_competency_question_answers_on_every_store(
    store_app: tuple[str, Flask], question: CompetencyQuestion
) -> None:
    backend, app = store_app
    if backend == "rdflib" and question.name in TOO_SLOW_ON_RDFLIB:
        pytest.skip("rdflib's engine takes more than a minute on this question")
    response = app.test_client().post(
        "/sparql", data={"query": question.sparql}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.data
    names, rows = solution_rows(response.data, ox.QueryResultsFormat.JSON)
    expected_names, expected = solution_rows(
        (EXPECTED_DIR / f"{question.name}.tsv").read_bytes(), ox.QueryResultsFormat.TSV
    )
    assert names == expected_names
    assert rows == expected
