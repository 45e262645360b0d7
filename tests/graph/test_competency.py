"""Every competency question answers exactly the rows recorded beside this test.

The expected rows are SPARQL TSV results (``tests/graph/competency/<question>.tsv``), compared row
by row as RDF terms. After a deliberate change to the data, regenerate them with
``RLSKG_REGENERATE=1 pytest tests/graph/test_competency.py`` and review the diff like code.
"""

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from rlskg.graph.competency import COMPETENCY_DIR, CompetencyQuestion, load_questions
from tests.support.data import EXPECTED_DIR

QUESTIONS = load_questions()


@pytest.fixture(scope="session")
def kg_store(built_dataset: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(built_dataset / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def answer_rows(store: ox.Store, question: CompetencyQuestion) -> list[str]:
    results = store.query(question.sparql, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    data = results.serialize(format=ox.QueryResultsFormat.TSV)
    assert data is not None
    return data.decode().rstrip("\n").split("\n")


def test_there_are_at_least_thirty_questions() -> None:
    assert len(QUESTIONS) >= 30
    assert all(q.question.endswith("?") for q in QUESTIONS), "each first comment asks a question"


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_competency_question_answers(kg_store: ox.Store, question: CompetencyQuestion) -> None:
    rows = answer_rows(kg_store, question)
    expected_file = EXPECTED_DIR / f"{question.name}.tsv"
    if os.environ.get("RLSKG_REGENERATE"):
        expected_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert rows[0] == expected[0], "the variables changed"
    assert len(rows) > 1, f"{question.name} has no answer"
    assert sorted(rows[1:]) == sorted(expected[1:])


def test_every_question_has_expected_rows_and_back() -> None:
    expected = {p.stem for p in EXPECTED_DIR.glob("*.tsv")}
    assert {q.name for q in QUESTIONS} == expected
    assert COMPETENCY_DIR.is_dir()
