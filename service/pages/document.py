"""Linked-data pages: every local IRI answers 303 See Other to its document under /doc/, and the
document negotiates HTML (a page), Turtle, JSON-LD, RDF/XML or N-Triples (the description).

``/ontology/Leg`` -> 303 -> ``/doc/ontology/Leg`` (or ``/doc/ontology/Leg.ttl``, ``.jsonld``,
``.rdf``, ``.nt``, ``.html`` to choose without Accept). The ontology IRI ``/ontology`` gives its
pyLODE documentation to browsers and the ontology release to programs (release.py), as do
``/ontology.owl`` (``.rdf``, ``.xml``, ``.ttl``, ``.jsonld``, ``.nt``, ``.obo``, ``.json``), the
base and simple products (``/ontology-base.owl``, ``/ontology-simple.ttl``, ...) and the
versionIRIs. The data model's IRI ``/model`` (``.owl``, ``.ttl``, ``.nt``) and its versionIRI
serve its release file (release.py). Unknown IRIs are 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from rdflib.namespace import VOID

from rlskg.ontology.namespaces import BASE, DATASET_IRI, FOAF, MODEL_IRI, SD
from rlskg.ontology.products import MODEL
from rlskg.service import errors
from rlskg.service.pages import release
from rlskg.service.pages.describe import bind, construct, exists, iri_for, is_ontology, load_query
from rlskg.service.pages.diagram import Diagram, Node, layout
from rlskg.service.pages.meta import page_description, resource_schema
from rlskg.service.pages.ontodocs import framed
from rlskg.service.pages.release import MODEL_FORMATS
from rlskg.service.pages.search import find
from rlskg.service.pages.view import Page, add_hierarchy, build_page
from rlskg.service.protocol import conditional, negotiation
from rlskg.service.rdf import serialize
from rlskg.service.state import state

bp = Blueprint("pages", __name__)
HTML = "text/html"
DOC_FORMATS = tuple(
    f
    for f in negotiation.GRAPH_FORMATS
    if f.media_type
    in ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples", "text/n3")
)
N3 = "text/n3"
SUFFIXES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
    "n3": N3,
    "html": HTML,
}
# The ontology: its release files (release.py), and N3, which is the Turtle release (N3 reads Turtle).
ONTOLOGY_FORMATS = (*release.FORMATS, *(f for f in negotiation.GRAPH_FORMATS if f.media_type == N3))


def wants_html(accept_header: str | None) -> bool:
    """Whether a client prefers HTML to every RDF format we have (``*/*`` alone gets RDF).

    >>> wants_html("text/html,application/xhtml+xml,*/*;q=0.8"), wants_html("text/turtle"), wants_html(None)
    (True, False, False)
    """
    accept = negotiation.parse_accept(accept_header)
    named = {item.split(";", 1)[0].strip().lower(): q for item, q in accept}
    html = max(named.get(HTML, 0), named.get("application/xhtml+xml", 0))
    rdf = max((accept.quality(f.media_type) for f in DOC_FORMATS), default=0)
    return html > 0 and html >= rdf


def document_type(suffix: str | None, formats: tuple[negotiation.Format, ...] = DOC_FORMATS) -> str:
    """The media type of a document: the suffix's, else HTML or the best of ``formats`` by Accept
    (the first of them when Accept says nothing)."""
    if suffix is not None:
        return SUFFIXES[suffix]
    header = request.headers.get("Accept")
    if wants_html(header):
        return HTML
    ranked = negotiation.negotiate(header, None, formats).graph
    if not ranked:
        errors.not_acceptable(f"a document is available as text/html, {negotiation.supported(formats)}")
    return ranked[0]


def not_found(iri: str | None) -> Response:
    """404: a page for browsers (with the terms whose label is like the name asked for), the usual
    error body for programs."""
    message = f"<{iri}> is not in this graph" if iri else f"{request.path} is not a resource of this graph"
    if wants_html(request.headers.get("Accept")):
        words = _words(request.path.rstrip("/").rsplit("/", 1)[-1])
        body = render_template("not_found.html", iri=iri, message=message, words=words, like=find(words, 8))
        response = Response(body, 404, content_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = "no-store"
        return response
    return errors.render(404, "Not Found", message)


def _words(name: str) -> str:
    """A local name as the words of a label: ``RestlessLegsSyndrome`` -> ``restless legs syndrome``.

    >>> _words("RestlessLegsSyndrome"), _words("iron-deficiency.ttl"), _words("RLS")
    ('restless legs syndrome', 'iron deficiency', 'rls')
    """
    stem = name.split(".", 1)[0].replace("-", " ").replace("_", " ")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", stem).lower().strip()


def see_other(path: str) -> Response:
    """303 from a local IRI to its document, when the graph knows the IRI."""
    iri = iri_for(path)
    current = state()
    if iri is None or not (is_ontology(iri) or exists(current.store, iri, current.settings.query_timeout)):
        return not_found(iri)
    response = Response(status=303, headers={"Location": "/doc/" + path, "Vary": "Accept"})
    return response


@bp.get("/ontology", defaults={"name": ""}, strict_slashes=False)
@bp.get("/ontology/<name>")
def ontology_term(name: str) -> Response:
    return see_other("ontology/" + name if name else "ontology")


@bp.get("/id/<kind>/<name>")
def data_node(kind: str, name: str) -> Response:
    return see_other(f"id/{kind}/{name}")


@bp.get("/.well-known/genid/<name>")
def skolem(name: str) -> Response:
    """A skolem IRI: 303 to the triples it stands in (describe.py)."""
    return see_other(f".well-known/genid/{name}")


def _split(path: str) -> tuple[str, str | None]:
    stem, dot, suffix = path.rpartition(".")
    return (stem, suffix) if dot and suffix in SUFFIXES else (path, None)


@bp.get("/doc/<path:path>")
def document(path: str) -> Response:
    stem, suffix = _split(path)
    iri = iri_for(stem)
    if iri is None:
        return not_found(None)
    # The ontology: RDF/XML first when the client says nothing, as OWL tools expect.
    media_type = document_type(suffix, ONTOLOGY_FORMATS if is_ontology(iri) else DOC_FORMATS)
    response = _validated(
        media_type, lambda: _ontology(media_type) if is_ontology(iri) else _resource(iri, media_type)
    )
    if response.status_code in (200, 304):  # where to query the rest: for link-following clients
        endpoint = url_for("sparql.sparql", _external=True)
        response.headers.add("Link", f'<{endpoint}>; rel="{SD}endpoint"')
        response.headers.add("Link", f'<{DATASET_IRI}>; rel="{VOID}inDataset"')
    return response


def _validated(media_type: str, make: Callable[[], Response]) -> Response:
    """``make()``'s response with an ETag and Cache-Control, or 304 when the client has it."""
    current = state()
    validator = conditional.ReadValidator(
        request, current.store.version, current.settings.cache_max_age, media_type
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    response = make()
    if response.status_code != 200:
        return response
    return validator.mark(response)


def _ontology(media_type: str) -> Response:
    """The ontology's documentation for browsers (in the site's frame), its release (see release.py)
    for programs."""
    if media_type == HTML:
        html = framed(state().ontology_docs.html())
        return Response(html, content_type="text/html; charset=utf-8")
    if media_type == N3:
        body = state().ontology_release.body("text/turtle")
        return Response(body, content_type=negotiation.content_type(N3))
    return release.response(media_type)


@bp.get("/ontology.<any(owl, rdf, xml, ttl, jsonld, nt, obo, json):suffix>", defaults={"variant": ""})
@bp.get("/ontology-<any(base, simple):variant>.<any(owl, rdf, xml, ttl, nt):suffix>")
def ontology_file(suffix: str, variant: str) -> Response:
    """The ontology IRI with an extension: a release product in that format (release.py)."""
    found = release.product_file(variant, suffix)
    if found is None:
        return not_found(None)
    product, media_type = found
    return _validated(media_type, lambda: release.response(media_type, product))


@bp.get("/ontology/releases/<version>/<name>")
def versioned(version: str, name: str) -> Response:
    """The versionIRIs (``.../releases/<date>/rls.owl``, ``rls-base.owl``, ``rls.obo``, ...) and
    each product's other formats."""
    found = release.versioned_file(version, name)
    if found is None:
        return not_found(f"{BASE}ontology/releases/{version}/{name}")
    product, media_type = found
    return _validated(media_type, lambda: release.response(media_type, product))


@bp.get("/model", defaults={"suffix": None}, strict_slashes=False)
@bp.get("/model.<any(owl, rdf, xml, ttl, nt, jsonld):suffix>")
def model(suffix: str | None) -> Response:
    """The data model's IRI (release.py): RDF/XML when the client says nothing; a browser that
    prefers HTML gets the Turtle as plain text."""
    if not state().ontology_release.has(MODEL):
        return not_found(MODEL_IRI)
    if suffix is not None:
        named = release.model_file(suffix)
        if named is None:
            return not_found(None)
        return _validated(named, lambda: release.response(named, MODEL))
    header = request.headers.get("Accept")
    if wants_html(header):
        body = state().ontology_release.body("text/turtle", MODEL)
        response = _validated(HTML, lambda: Response(body, content_type="text/plain; charset=utf-8"))
    else:
        ranked = negotiation.negotiate(header, None, MODEL_FORMATS).graph
        if not ranked:
            errors.not_acceptable(f"the data model is available as {negotiation.supported(MODEL_FORMATS)}")
        media_type = ranked[0]
        response = _validated(media_type, lambda: release.response(media_type, MODEL))
    response.headers.add("Vary", "Accept")
    return response


@bp.get("/model/releases/<version>/<name>")
def model_versioned(version: str, name: str) -> Response:
    """The data model's versionIRI (``.../model/releases/<date>/rlskg-model.owl``) and its other
    formats (``rlskg-model.ttl``, ``.nt``)."""
    media_type = release.versioned_model_file(version, name)
    if media_type is None:
        return not_found(f"{MODEL_IRI}/releases/{version}/{name}")
    return _validated(media_type, lambda: release.response(media_type, MODEL))


def _resource(iri: str, media_type: str) -> Response:
    current = state()
    limits = (current.settings.query_timeout, current.settings.max_result_bytes)
    triples = construct(current.store, "resource-describe", iri, *limits)
    if not triples:
        return not_found(iri)
    if media_type != HTML:
        # The document itself: what it is about, and the dataset it is part of (VoID's way).
        doc = ox.NamedNode(request.base_url)
        triples = [
            *triples,
            ox.Triple(doc, ox.NamedNode(f"{FOAF}primaryTopic"), ox.NamedNode(iri)),
            ox.Triple(doc, ox.NamedNode(f"{VOID}inDataset"), ox.NamedNode(DATASET_IRI)),
        ]
        # Only the prefixes used; JSON-LD compacted with an @context (rdf.py)
        return Response(serialize(triples, media_type), content_type=negotiation.content_type(media_type))
    page = build_page(iri, triples)
    if page.is_class:
        add_hierarchy(page, construct(current.store, "class-hierarchy", iri, *limits))
    query = bind(load_query("resource-about"), iri)
    doc_path = request.path.rsplit(".", 1)[0] if request.path.endswith(".html") else request.path
    canonical = request.url_root.rstrip("/") + doc_path
    body = render_template(
        "resource.html",
        page=page,
        canonical=canonical,
        description=page_description(page),
        schema=resource_schema(page, canonical),
        diagram=None if page.is_source else neighbourhood(page),
        query_href=url_for("ui.query_page", query=query),
        formats=[(s, t) for s, t in SUFFIXES.items() if t != HTML],
        doc_path=doc_path,
    )
    return Response(body, content_type="text/html; charset=utf-8")


FIRMNESS = ("Established", "Associated", "Hypothesised", "denied")


def neighbourhood(page: Page) -> Diagram | None:
    """The resource between what points at it (left) and what it points at (right)."""
    left: dict[str, list[Node]] = {}
    right: dict[str, list[Node]] = {}
    firmest: dict[tuple[int, str, str | None], int] = {}  # (side, group, neighbour) -> index in its group
    for row in page.rows:
        relation = (row.predicate.iri or "").rsplit("/", 1)[-1]
        if row.object.iri == page.iri and row.subject.iri != page.iri:
            side, other = left, row.subject
        elif row.subject.iri == page.iri:
            side, other = right, row.object
        else:
            continue
        # A denied or rejected claim is grouped apart, never under the relation it denies.
        group = f"not: {row.predicate.label}" if row.denied else row.predicate.label
        strength = "denied" if row.denied else (row.strength_name or "Established")
        nodes = side.setdefault(group, [])
        node = Node(other.label, other.href, relation, strength)
        key = (id(side), group, other.href or other.label)
        if key not in firmest:
            firmest[key] = len(nodes)
            nodes.append(node)
        elif FIRMNESS.index(strength) < FIRMNESS.index(nodes[firmest[key]].strength):
            nodes[firmest[key]] = node  # two sources, two strengths: draw the firmer
    if page.children:
        left["subclasses"] = [Node(c.label, c.href, "subClassOf") for c in page.children]
    if page.parents:
        right["subclass of"] = [Node(p.label, p.href, "subClassOf") for p in page.parents]
    if not left and not right:
        return None
    center = Node(page.label, None)
    return layout(center, sorted(left.items()), sorted(right.items()), more_href="#associations")
