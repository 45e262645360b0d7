"""The SPARQL 1.1 Graph Store HTTP Protocol at /store.

Graphs are named two ways. Indirectly: ``?default`` is the store's own default graph (not the
union that queries see), ``?graph=IRI`` a named graph. Directly: ``/store/<path>`` names the graph
whose IRI is that URL. GET and HEAD are open; ``/store`` with neither parameter is the whole
dataset (TriG, N-Quads or JSON-LD).

PUT, POST and DELETE need the bearer token; a body is parsed in full before the store changes,
after decoding it from its ``charset`` when that is not UTF-8 (the parsers read UTF-8 only). POST
to ``/store`` itself creates a graph with a new IRI under ``/store/`` and answers 201 with its
``Location``. A POST body may be ``multipart/form-data``: each file part, in its own RDF format,
is added, all or none.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.datastructures import FileStorage

from rlskg.graph.stores.base import DataSyntaxError, UnsupportedFormat, parse_triples
from rlskg.service import errors, guard, metrics
from rlskg.service.protocol import auth, conditional, negotiation
from rlskg.service.protocol.operation import check_iri, decode_text
from rlskg.service.state import state

bp = Blueprint("gsp", __name__)
N_TRIPLES = "application/n-triples"


def _target() -> tuple[bool, str | None]:
    """(names a graph?, its IRI or None for the default graph), from the query string."""
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
    with metrics.store_timer(request.environ):
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


def _body(graph: str | None) -> tuple[bytes, str]:
    """The RDF a PUT or POST carries, as (bytes in UTF-8, media type)."""
    if request.mimetype == "multipart/form-data":
        if request.method != "POST":
            errors.unsupported_media_type("multipart/form-data is read in a POST only")
        return _parts(graph), N_TRIPLES
    media_type = request.mimetype
    if media_type not in negotiation.RDF_INPUT_TYPES:
        errors.unsupported_media_type(
            f"{media_type or 'no Content-Type'} is not an RDF format this store reads"
        )
    data = _utf8(request.get_data(cache=False), request.mimetype_params.get("charset"))
    guard.check_rdf_body(data, media_type, state().settings.max_request_bytes)  # XML entities
    return data, media_type


def _parts(graph: str | None) -> bytes:
    """The triples of every file part of a multipart body, as one N-Triples document: a part that
    does not parse refuses the whole request, so that none of it is added."""
    if request.form:
        names = ", ".join(sorted(request.form))
        errors.bad_request(f"multipart parts without a file name carry no RDF type: {names}")
    files: list[FileStorage] = [part for _, part in request.files.items(multi=True)]
    if not files:
        errors.bad_request("the multipart body has no parts")
    triples: list[ox.Triple] = []
    for part in files:
        media_type = part.mimetype
        if media_type in ("", "application/octet-stream"):  # what browsers send for an unknown file type
            media_type = _type_from_name(part.filename)
        if media_type not in negotiation.RDF_INPUT_TYPES:
            errors.unsupported_media_type(
                f"part {part.filename!r}: {media_type or 'no type'} is not an RDF format"
            )
        data = _utf8(part.read(), part.mimetype_params.get("charset"))
        guard.check_rdf_body(data, media_type, state().settings.max_request_bytes)
        try:
            quads = parse_triples(data, media_type, graph or request.base_url, rename_blank_nodes=True)
        except (DataSyntaxError, UnsupportedFormat) as error:
            errors.bad_request(f"part {part.filename!r}: {error}")
        triples.extend(quad.triple for quad in quads)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _type_from_name(filename: str | None) -> str:
    """The media type a part's file name extension says, or ""."""
    extension = (filename or "").rpartition(".")[2]
    fmt = ox.RdfFormat.from_extension(extension) if extension else None
    return fmt.media_type if fmt is not None else ""


def _utf8(data: bytes, charset: str | None) -> bytes:
    if charset and charset.lower() not in ("utf-8", "utf8"):  # the parsers read UTF-8 only
        return decode_text(data, charset).encode("utf-8")
    return data


def _write(graph: str | None, location: str | None = None) -> Response:
    """PUT, POST or DELETE of one graph; ``location`` is said when a new graph was made."""
    current = state()
    with metrics.store_timer(request.environ):
        if request.method == "DELETE":
            current.store.delete_graph(graph)
            created = False
        else:
            data, media_type = _body(graph)
            write = current.store.put_graph if request.method == "PUT" else current.store.post_graph
            # Relative IRIs in the body resolve against the graph's IRI, or the request's URL for
            # the default graph (the Graph Store Protocol's base: the request IRI).
            created = write(graph, data, media_type, base_iri=graph or request.base_url)
    response = Response(status=201 if created else 204)
    response.headers.remove("Content-Type")  # no body, so no type (Flask would say text/html)
    if created:
        response.headers["Location"] = location or request.url
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
def store() -> Response:
    names_graph, graph = _target()
    if request.method in ("GET", "HEAD"):
        return _read(names_graph, graph)
    auth.require_token(state().settings.token)
    if not names_graph:
        if request.method != "POST":
            errors.bad_request("a PUT or DELETE names its graph: ?default or ?graph=IRI")
        # A POST to the graph store itself makes a new graph, named under /store/ (so that the
        # name is also its URL) and answered with 201 and its Location.
        new = f"{request.base_url.rstrip('/')}/{uuid.uuid4().hex}"
        return _write(new, location=new)
    return _write(graph)


@bp.route("/store/<path:path>", methods=["GET", "PUT", "POST", "DELETE"])
def directly_named(path: str) -> Response:
    """The graph whose IRI is this URL (direct graph identification)."""
    if "graph" in request.args or "default" in request.args:
        errors.bad_request("a graph named by its URL takes no ?graph or ?default parameter")
    graph = check_iri(request.base_url, "the request URL")
    if request.method in ("GET", "HEAD"):
        return _read(True, graph)
    auth.require_token(state().settings.token)
    return _write(graph)
