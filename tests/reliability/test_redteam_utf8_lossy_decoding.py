"""Red team follow-up: invalid UTF-8 in a query or an update is a 400 naming where it is, never a
lossy 200 or 204 (Werkzeug keeps invalid bytes of a parameter percent-encoded, so ``%FF`` reached
the store as the three characters ``%FF``), and never a 500 (raw bytes in the URL, or a body
charset whose codec raises a bare UnicodeError)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.service import bearer

FORM = "application/x-www-form-urlencoded"
ASK = "ASK%20%7B%20%3Fs%20%3Fp%20%22"  # ASK { ?s ?p "   (the bad byte goes in the string)
INSERT = "INSERT%20DATA%20%7B%20%3Chttp://ex/s%3E%20%3Chttp://ex/p%3E%20%22"


def _refused(response: TestResponse, parameter: str) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == 400, (response.status_code, text)
    assert parameter in text and "UTF-8" in text, text


@pytest.mark.parametrize(
    ("parameter", "query_string"),
    [
        ("query", f"query={ASK}%FF%22%20%7D"),
        ("query", f"query={ASK}%C3%28%22%20%7D"),  # a bad continuation byte
        ("query", f"query={ASK}%ED%A0%80%22%20%7D"),  # an encoded surrogate
        ("query", f"query={ASK}%C3%22%20%7D"),  # a truncated sequence
        ("default-graph-uri", "query=ASK%7B%7D&default-graph-uri=http://ex/g%FF"),
        ("named-graph-uri", "query=ASK%7B%7D&named-graph-uri=http://ex/g%E9"),
        ("query", f"%71uery={ASK}%FF%22%20%7D"),  # the name percent-encoded too
    ],
)
def test_percent_encoded_invalid_utf8_in_the_url_is_a_400(
    client: FlaskClient, parameter: str, query_string: str
) -> None:
    _refused(client.get(f"/sparql?{query_string}"), parameter)


def test_raw_invalid_bytes_in_the_url_are_a_400(client: FlaskClient) -> None:
    # PEP 3333: the server hands the raw query string over decoded as latin-1.
    environ = {"QUERY_STRING": 'query=ASK{?s ?p "\xff"}'}
    _refused(client.get("/sparql", environ_overrides=environ), "query")


@pytest.mark.parametrize("body", [f"query={ASK}%FF%22%20%7D".encode(), b'query=ASK{?s ?p "\xff"}'])
def test_invalid_utf8_in_a_posted_form_query_is_a_400(client: FlaskClient, body: bytes) -> None:
    _refused(client.post("/sparql", data=body, content_type=FORM), "query")


@pytest.mark.parametrize(
    "body",
    [f"update={INSERT}%FF%22%20%7D".encode(), b'update=INSERT DATA { <http://ex/s> <http://ex/p> "\xff" }'],
)
def test_invalid_utf8_in_a_posted_form_update_is_a_400_and_writes_nothing(
    writer: FlaskClient, body: bytes
) -> None:
    _refused(writer.post("/update", data=body, content_type=FORM, headers=bearer()), "update")
    _refused(
        writer.post(
            "/update", data=b"using-graph-uri=http://ex/%FF&" + body, content_type=FORM, headers=bearer()
        ),
        "using-graph-uri",
    )
    ask = "ASK { <http://ex/s> ?p ?o }"
    answer = writer.get(
        "/sparql", query_string={"query": ask}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.get_json()["boolean"] is False


def test_invalid_utf8_in_a_direct_query_or_update_body_is_a_400(writer: FlaskClient) -> None:
    query = writer.post("/sparql", data=b'ASK { ?s ?p "\xff" }', content_type="application/sparql-query")
    assert query.status_code == 400 and "UTF-8" in query.get_data(as_text=True)
    update = writer.post(
        "/update",
        data=b'INSERT DATA { <http://ex/s> <http://ex/p> "\xff" }',
        content_type="application/sparql-update",
        headers=bearer(),
    )
    assert update.status_code == 400 and "UTF-8" in update.get_data(as_text=True)


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        ("us-ascii", 'ASK { ?s ?p "\u00e9" }'.encode()),  # UTF-8 é is not ASCII
        ("utf-16", b"ASK { }"),  # an odd number of bytes
        ("undefined", b"ASK { }"),  # a codec that raises a bare UnicodeError
        ("punycode", b"ASK { ?s ?p ?o }"),  # the same, on this text
    ],
)
def test_a_body_its_charset_cannot_decode_is_a_400(client: FlaskClient, charset: str, body: bytes) -> None:
    response = client.post("/sparql", data=body, content_type=f"application/sparql-query; charset={charset}")
    assert response.status_code == 400, (charset, response.status_code)
    assert charset in response.get_data(as_text=True)


def test_valid_text_still_works(client: FlaskClient) -> None:
    ok = client.get(f"/sparql?query={ASK}%C3%A9%22%20%7D&default-graph-uri=http://ex/%C3%A9")
    assert ok.status_code == 200
    latin = client.post(
        "/sparql",
        data='ASK { ?s ?p "\u00e9" }'.encode("latin-1"),
        content_type="application/sparql-query; charset=latin-1",
    )
    assert latin.status_code == 200
    form = client.post("/sparql", data=f"query={ASK}%C3%A9%22%20%7D&other=%FF".encode(), content_type=FORM)
    assert form.status_code == 200
