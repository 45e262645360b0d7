"""Property-based tests of the request guard and the evaluators' boundary, for the attack classes
the red team found: SERVICE and LOAD spelt every way (case, glue, escapes, comments, SILENT),
nesting of every kind, and text built to make a scanner backtrack.

Properties: no spelling of SERVICE or LOAD reaches a canary on loopback; nesting past the limit is
a 400, never a crash; no scan of adversarial text takes more than linear time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rlskg.service import close_app
from rlskg.service.guard.lexical import CACHE_MAX_CHARS, scan
from tests.support.canary import Canary
from tests.support.service import TOKEN, bearer, make_app

FUZZ = settings(
    max_examples=120,
    deadline=4000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI failures reproduce
)


@pytest.fixture(scope="module")
def guarded(canary: Canary) -> Iterator[Flask]:
    application = make_app(TOKEN=TOKEN, POOL_SIZE=2, QUERY_TIMEOUT=2.0)
    yield application
    close_app(application)


@pytest.fixture
def client(guarded: Flask) -> FlaskClient:
    return guarded.test_client()


def _escape_one(word: str, index: int) -> str:
    """``word`` with its letter at ``index`` written as a \\u escape."""
    index %= len(word)
    return word[:index] + f"\\u{ord(word[index]):04X}" + word[index + 1 :]


@st.composite
def spelt(draw: st.DrawFn, word: str) -> str:
    """A keyword in any case, maybe with one letter as a \\u escape, maybe after a dot."""
    letters = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in word)
    if draw(st.booleans()):
        letters = _escape_one(letters, draw(st.integers(0, 10)))
    return draw(st.sampled_from(["", "."])) + letters


SPACE = st.sampled_from(["", " ", "\n", "\t", " #c\n", "#\n"])


@st.composite
def fetch(draw: st.DrawFn, canary_url: str, keyword: str) -> str:
    """SERVICE or LOAD and a target at the canary, in some spelling."""
    base = canary_url.rsplit("/", 1)[0] + "/"
    silent = draw(st.sampled_from(["", "SILENT", "silent", "Silent"]))
    target = draw(
        st.sampled_from(
            [f"<{canary_url}>", ":sparql", "e:sparql", f"<{base}\\u0073parql>", f"<{base}s%70arql>"]
        )
    )
    glue = draw(SPACE) if target.startswith("<") else draw(st.sampled_from(["", " ", "\n", " #c\n"]))
    return f"{draw(spelt(keyword))}{draw(SPACE)}{silent}{glue}{target}"


def _prologue(canary: Canary) -> str:
    base = canary.url.rsplit("/", 1)[0] + "/"
    return f"PREFIX : <{base}> PREFIX e: <{base}> "


@FUZZ
@given(data=st.data())
def test_no_spelling_of_service_reaches_the_canary(
    client: FlaskClient, canary: Canary, data: st.DataObject
) -> None:
    service = data.draw(fetch(canary.url, "service"))
    query = f"{_prologue(canary)}SELECT * WHERE {{ ?a ?b ?c {service} {{ ?s ?p ?o }} }}"
    before = canary.hits
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/json"})
    assert canary.hits == before, query
    assert response.status_code in (400, 403) or b"INTERNAL" not in response.data, query
    assert response.status_code < 500, (query, response.data[:200])


@FUZZ
@given(data=st.data())
def test_no_spelling_of_load_or_service_in_an_update_reaches_the_canary(
    client: FlaskClient, canary: Canary, data: st.DataObject
) -> None:
    if data.draw(st.booleans()):
        update = data.draw(fetch(canary.url, "load"))
    else:
        service = data.draw(fetch(canary.url, "service"))
        update = f"INSERT {{ GRAPH <http://ex/f> {{ ?s ?p ?o }} }} WHERE {{ {service} {{ ?s ?p ?o }} }}"
    before = canary.hits
    response = client.post("/update", data={"update": _prologue(canary) + update}, headers=bearer())
    assert canary.hits == before, update
    assert response.status_code in (400, 403), (update, response.status_code)


NESTING = st.sampled_from(["(", "{", "[", "!", "! ", "!#c\n", "- ", "+ ", "!(", "{ {", "(("])


@FUZZ
@given(pieces=st.lists(NESTING, min_size=1, max_size=4), times=st.integers(200, 30_000))
def test_nesting_of_any_kind_past_the_limit_is_400(
    client: FlaskClient, pieces: list[str], times: int
) -> None:
    opening = "".join(pieces) * times  # each repetition nests at least one level more
    query = f"ASK {{ FILTER({opening}true) }}"
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 400, (pieces, times, response.data[:200])


ADVERSARIAL = st.sampled_from(
    [" ", "#", "<", "<a", "'", "'''", '"', '"""\\"', "\\", "\\u", "?", "@a-", "a:", ".", "PREFIX ",
     "BASE ", "SERVICE", "SERVICE:", "LOAD ", "FROM ", "!", "- ", "(", "?a<?b", "\n", "x"]
)  # fmt: skip


@FUZZ
@given(pieces=st.lists(ADVERSARIAL, min_size=1, max_size=6), tail=st.sampled_from(["", "x", "'", "<", "\\"]))
def test_a_scan_of_any_repeated_adversarial_text_is_linear(pieces: list[str], tail: str) -> None:
    unit = "".join(pieces)
    # Both longer than CACHE_MAX_CHARS: a cached scan would time nothing.
    small = unit * (2 * CACHE_MAX_CHARS // len(unit)) + tail
    large = unit * (20 * CACHE_MAX_CHARS // len(unit)) + tail
    began = time.perf_counter()
    scan(small, depth_limit=128)
    small_seconds = time.perf_counter() - began
    began = time.perf_counter()
    scan(large, depth_limit=128)
    large_seconds = time.perf_counter() - began
    # Ten times the text: linear is ~10x; quadratic would be ~100x. The floor absorbs timer noise.
    assert large_seconds < max(small_seconds, 0.002) * 30 + 0.05, (pieces, small_seconds, large_seconds)
