"""The SPARQL 1.1 Graph Store HTTP Protocol at /store.

GET and HEAD are open: ``?default`` is the store's own default graph (not the union that queries
see), ``?graph=IRI`` a named graph, and no parameter the whole dataset (TriG, N-Quads or JSON-LD).
PUT, POST and DELETE need the bearer token; a body is parsed in full before the store changes,
after decoding it from its ``charset`` when that is not UTF-8 (the parsers read UTF-8 only).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from rlskg.service import errors, guard, metrics
from rlskg.service.protocol import auth, conditional, negotiation
from rlskg.service.protocol.operation import check_iri, decode_text
from rlskg.service.state import state

bp = Blueprint("gsp", __name__)


def _target() -> tuple[bool, str | None]:
    """(names a graph?, its IRI or None for the default graph)."""
    graphs = request.args.getlist("graph")
    if len(graphs) > 1:
        errors.bad_request("the 'graph' parameter is given more than once")
    if graphs and "default" in request.args:
        errors.bad_request("name one graph: ?default or ?graph=IRI, not both")
    if graphs:
        return True, check_iri(graphs[0], "graph")
    return "default" in request.args, None


def _read(names_graph: bool, graph: str | None) -> Response:
    current = state()
    settings = current.settings
    table = negotiation.GRAPH_FORMATS if names_graph else negotiation.DATASET_FORMATS
    negotiated = negotiation.for_request(request, table)
    if not negotiated.graph:
        what = "a graph" if names_graph else "the whole dataset"
        errors.not_acceptable(f"{what} is available as {negotiation.supported(table)}")
    validator = conditional.ReadValidator(request, current.store.version, settings.cache_max_age)
    if (cached := validator.not_modified()) is not None:
        return cached
    timeout, max_bytes = settings.query_timeout, settings.max_result_bytes
    with metrics.store_timer():
        if names_graph:
            result = current.store.get_graph(
                graph, formats=negotiated.formats(), timeout=timeout, max_bytes=max_bytes
            )
        else:
            result = current.store.get_dataset(
                formats=negotiated.formats(), timeout=timeout, max_bytes=max_bytes
            )
    response = Response(result.body, content_type=negotiated.content_type(result.media_type))
    return validator.mark(response)


def _write(graph: str | None) -> Response:
    current = state()
    media_type = request.mimetype
    if request.method != "DELETE" and media_type not in negotiation.RDF_INPUT_TYPES:
        shown = media_type or "no Content-Type"
        errors.unsupported_media_type(f"{shown} is not an RDF format this store reads")
    with metrics.store_timer():
        if request.method == "DELETE":
            current.store.delete_graph(graph)
            created = False
        else:
            write = current.store.put_graph if request.method == "PUT" else current.store.post_graph
            data = request.get_data(cache=False)
            charset = request.mimetype_params.get("charset")
            if charset and charset.lower() not in ("utf-8", "utf8"):  # the parsers read UTF-8 only
                data = decode_text(data, charset).encode("utf-8")
            guard.check_rdf_body(data, media_type, current.settings.max_request_bytes)  # XML entities
            # Relative IRIs in the body resolve against the graph's IRI, or the request's URL for
            # the default graph (the Graph Store Protocol's base: the request IRI).
            created = write(graph, data, media_type, base_iri=graph or request.base_url)
    response = Response(status=201 if created else 204)
    response.headers.remove("Content-Type")  # no body, so no type (Flask would say text/html)
    if created:
        response.headers["Location"] = request.url
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
def store() -> Response:
    names_graph, graph = _target()
    if request.method in ("GET", "HEAD"):
        return _read(names_graph, graph)
    auth.require_token(state().settings.token)
    if not names_graph:
        errors.bad_request("a write names its graph: ?default or ?graph=IRI")
    return _write(graph)
