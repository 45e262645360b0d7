"""service.errors: every store error is answered with its status and that status's own title."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES

from rlskg.graph import stores
from rlskg.service import errors


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
