"""The SPARQL 1.1 Update operation at /update (and on POST /sparql), behind the bearer token.

The store applies an update in one transaction: all of it or nothing. LOAD and SERVICE targets are
checked against the allow-list before the store sees the update.

Queries see the union of all graphs as their default graph; an update sees the store's own default
graph, which the build leaves empty (every triple is in a named graph), because SPARQL Update
writes a template without GRAPH there. So ``DELETE WHERE { rls:Leg ?p ?o }`` matches nothing. Such
an update is not an error, but it is not answered with a silent 204 either: when the store holds
as many triples after it as before and its default graph is empty, the answer is 200 with a note
saying so, and how to name the graph. (Only for an update that names no graph at all: one that
does, such as a counter's DELETE and INSERT in its graph, may well leave the count as it was.)
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request

from rlskg.service import errors, guard, metrics
from rlskg.service.protocol import auth
from rlskg.service.protocol.operation import Operation, read_operation, readable_syntax_errors
from rlskg.service.state import state

bp = Blueprint("update", __name__)


# Words with which an update names graphs; seen anywhere (an IRI, a comment), they only keep the
# note below from being given.
NAMES_A_GRAPH = re.compile(r"graph|with|using", re.IGNORECASE)
UNCHANGED_NOTE = (
    "The update ran, and the store holds as many triples as before. Note that an update works on "
    "the store's own default graph, which is empty here, while queries see the union of all graphs: "
    "to change data, name its graph (GRAPH <iri> { ... }, or WITH <iri>). The named graphs are "
    "listed by SELECT DISTINCT ?g WHERE { GRAPH ?g { } }.\n"
)


def apply(operation: Operation) -> Response:
    """Run an update; 204 when done (200 with a note when it changed no count, see above)."""
    current = state()
    auth.require_token(current.settings.token)
    metrics.note(request.environ, metrics.QUERY_TEXT, operation.text[:1000])
    found = guard.check(operation.text, current.settings)
    refused = guard.refusal(found, current.settings)
    if refused is not None:
        # Read by a parser without a network first: a malformed update is a 400 whatever it names.
        check_syntax = getattr(current.store, "check_update_syntax", None)
        if check_syntax is not None:
            with readable_syntax_errors(operation.text):
                check_syntax(operation.text, base_iri=request.base_url)
        errors.forbidden(refused)
    # Counted only for an update that names no graph: a count of a large store costs time.
    names_graph = NAMES_A_GRAPH.search(operation.text) is not None
    before = None if names_graph else current.store.stats().triples
    with metrics.store_timer(request.environ), readable_syntax_errors(operation.text):
        current.store.update(
            operation.text, timeout=current.settings.query_timeout, base_iri=request.base_url
        )
    after = None if before is None else current.store.stats()  # while another write runs: older counts
    unchanged = after is not None and after.version == current.store.version and after.triples == before
    if unchanged and after is not None and not after.default_graph_triples:
        response = Response(UNCHANGED_NOTE, 200, content_type="text/plain; charset=utf-8")
    else:
        response = Response(status=204)
        response.headers.remove("Content-Type")  # no body, so no type (Flask would say text/html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/update")
def update() -> Response:
    auth.require_token(state().settings.token)  # before reading a body from an unknown client
    operation = read_operation(request)
    if operation is None or operation.kind != "update":
        errors.bad_request("send an update: the 'update' form parameter or an application/sparql-update body")
    return apply(operation)
