"""The SPARQL 1.1 Protocol query operation at /sparql (an update sent there goes to service.protocol.update).

Before the store sees a query: the request is read once (service.protocol.operation), the query is scanned
(form, FROM, SERVICE targets, nesting depth), SERVICE targets are checked against the allow-list,
the formats are negotiated, and a conditional GET may be answered 304 without evaluating.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request
from werkzeug.wrappers import Request

from rlskg.graph.stores import EvaluationError, QueryDataset
from rlskg.service import errors, guard, metrics
from rlskg.service.guard.lexical import Scan
from rlskg.service.protocol import conditional, description, negotiation, update
from rlskg.service.protocol.operation import Operation, read_operation, readable_syntax_errors
from rlskg.service.state import ServiceState, state

bp = Blueprint("sparql", __name__)

GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
# File extensions of the answer formats: the W3C's for SPARQL results, the usual ones for RDF.
DOWNLOAD_EXTENSIONS = {
    "application/sparql-results+json": "srj",
    "application/sparql-results+xml": "srx",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nq",
    "text/n3": "n3",
}
# Functions whose value changes with each evaluation. A match inside a string or an IRI only costs
# a cache miss.
VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
VOLATILE_NAMES = ("now", "rand", "uuid", "bnode")  # what VOLATILE needs, lower-cased


def _dataset(operation: Operation, found: Scan) -> QueryDataset:
    # Protocol graphs replace FROM; with neither, the default graph is the union of all graphs.
    if operation.default_graphs or operation.named_graphs:
        return QueryDataset(operation.default_graphs, operation.named_graphs)
    return QueryDataset(union_default_graph=not found.has_dataset_clause)


def _negotiate(request: Request, form: str | None) -> negotiation.Negotiated:
    negotiated = negotiation.for_request(request)
    # The form is known from the scan: refuse now rather than after evaluating.
    if form in GRAPH_FORMS and not negotiated.graph:
        errors.not_acceptable(
            f"a {form} result is available as {negotiation.supported(negotiation.GRAPH_FORMATS)}"
        )
    if form in ("SELECT", "ASK") and not negotiated.solutions:
        errors.not_acceptable(
            f"{'an' if form == 'ASK' else 'a'} {form} result is available as "
            f"{negotiation.supported(negotiation.SOLUTION_FORMATS)}"
        )
    return negotiated


def endpoint_url(request: Request) -> str:
    """``request.base_url`` (the URL without its query), remembered per scheme, host and path:
    werkzeug makes it afresh on each call, IRI-decoding included."""
    environ = request.environ
    key = (
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("SERVER_NAME", ""),
        environ.get("SERVER_PORT", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
    )
    url = _ENDPOINT_URLS.get(key)
    if url is None:
        if len(_ENDPOINT_URLS) >= 256:  # Host is the client's to choose: keep few
            _ENDPOINT_URLS.clear()
        url = _ENDPOINT_URLS[key] = request.base_url
    return url


_ENDPOINT_URLS: dict[tuple[str, ...], str] = {}


def _repeatable(text: str, found: Scan) -> bool:
    """Whether evaluating again gives the same answer while the data stays the same."""
    if found.fetch_targets:
        return False
    lowered = text.lower()  # most texts name none of them: skip the slower pattern
    if not any(name in lowered for name in VOLATILE_NAMES):
        return True
    return VOLATILE.search(text) is None


def answer_query(request: Request, operation: Operation, current: ServiceState) -> Response:
    """The answer to a query: from the Flask view below, and from ``query_route`` (the same steps
    outside Flask's request machinery), so ``request`` is a plain werkzeug request."""
    settings = current.settings
    metrics.note(request.environ, metrics.QUERY_TEXT, operation.text[:1000])
    found = guard.check(operation.text, settings)
    refused = guard.refusal(found, settings)
    sandboxed = getattr(current.store, "sandboxed", False)  # evaluators without a network
    if refused is not None and not sandboxed:
        errors.forbidden(refused)
    negotiated = _negotiate(request, found.form)
    repeatable = _repeatable(operation.text, found)
    validator = conditional.ReadValidator(
        request, current.store.version, settings.cache_max_age, repeatable=repeatable
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    # A refused target goes to an evaluator without a network all the same: its parser says 400
    # for a malformed text, SERVICE SILENT yields no rows as SPARQL says, and a SERVICE call that
    # fails to connect is then refused for what it is (403).
    with metrics.store_timer(request.environ), readable_syntax_errors(operation.text):
        try:
            result = current.store.query(
                operation.text,
                formats=negotiated.formats(),
                dataset=_dataset(operation, found),
                timeout=settings.query_timeout,
                max_bytes=settings.max_result_bytes,
                base_iri=endpoint_url(request),  # relative IRIs resolve against it, as in Fuseki
            )
        except EvaluationError:
            if refused is not None:
                errors.forbidden(refused)
            raise
    response = Response(result.body, content_type=negotiated.content_type(result.media_type))
    # A browser that downloads the answer (the query form's format=xml) names the file by its type.
    extension = DOWNLOAD_EXTENSIONS.get(result.media_type)
    if extension is not None:
        response.headers["Content-Disposition"] = f'inline; filename="results.{extension}"'
    return validator.mark(response)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    operation = read_operation(request)
    if operation is None:
        return description.respond()
    if operation.kind == "update":
        return update.apply(operation)
    return answer_query(request, operation, state())
