"""The SPARQL 1.1 Update operation at /update (and on POST /sparql), behind the bearer token.

The store applies an update in one transaction: all of it or nothing. LOAD and SERVICE targets are
checked against the allow-list before the store sees the update.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from rlskg.service import errors, guard, metrics
from rlskg.service.protocol import auth
from rlskg.service.protocol.operation import Operation, read_operation
from rlskg.service.state import state

bp = Blueprint("update", __name__)


def apply(operation: Operation) -> Response:
    """Run an update; 204 when done."""
    current = state()
    auth.require_token(current.settings.token)
    metrics.note(metrics.QUERY_TEXT, operation.text[:1000])
    guard.check(operation.text, current.settings)
    with metrics.store_timer():
        current.store.update(operation.text)
    response = Response(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/update")
def update() -> Response:
    auth.require_token(state().settings.token)  # before reading a body from an unknown client
    operation = read_operation(request)
    if operation is None or operation.kind != "update":
        errors.bad_request("send an update: the 'update' form parameter or an application/sparql-update body")
    return apply(operation)
