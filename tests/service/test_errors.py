"""service.errors: every store error is answered with its status and that status's own title."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import HTTP_STATUS_CODES

from rlskg.graph import stores
from rlskg.service import errors
from tests.support.service import bearer


@pytest.mark.parametrize("kind", list(errors.STORE_ERRORS), ids=lambda kind: str(kind.__name__))
def test_a_store_error_is_answered_with_its_status_and_title(
    app: Flask, kind: type[stores.StoreError]
) -> None:
    status = errors.STORE_ERRORS[kind]
    with app.test_request_context("/sparql"):
        response = app.make_response(app.handle_user_exception(kind("the message")))
    assert response.status_code == status
    assert response.get_data(as_text=True) == f"{status} {HTTP_STATUS_CODES[status]}: the message\n"


def test_a_conflict_is_not_called_an_internal_server_error(app: Flask) -> None:
    with app.test_request_context("/sparql"):
        response = app.make_response(app.handle_user_exception(stores.ForeignData("someone else's data")))
    assert response.get_data(as_text=True).startswith("409 Conflict:")


def test_a_subclass_of_a_store_error_takes_its_parents_status() -> None:
    class Unclosed(stores.QuerySyntaxError):
        pass

    assert errors.store_status(Unclosed("x")) == 400
    assert errors.store_status(stores.StoreError("x")) == 500


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT * WHERE { ?s foo:bar ?o }",
            "error at 1:28: unknown prefix 'foo:' (declare it: PREFIX foo: <...>)",
        ),
        ("SELECT * WHERE {\n  ?s a ex-1.b:Bar }", "error at 2:18: unknown prefix 'ex-1.b:'"),
        ("SELECT * WHERE { ?s <éé> :bar }", "error at 1:30: unknown prefix ':'"),
    ],
)
def test_an_unknown_prefix_is_named(client: FlaskClient, query: str, expected: str) -> None:
    """Not the parser's 600 bytes of character ranges: the prefix, and what to do about it."""
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json is not None
    message = response.json["error"]["message"]
    assert message.startswith(expected) and "\\u{" not in message and len(message) < 120, message


def test_an_unknown_prefix_in_an_update_is_named(writer: FlaskClient) -> None:
    response = writer.post(
        "/update",
        data="INSERT DATA { <a> foo:b <c> }",
        content_type="application/sparql-update",
        headers=bearer(),
    )
    assert response.status_code == 400 and b"unknown prefix 'foo:'" in response.data
