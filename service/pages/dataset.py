"""The dataset's own IRIs, each dereferenceable: its named graphs, its VoID description and
partitions, and its dumps.

- ``/graph/<name>`` (``https://w3id.org/rlskg/graph/<name>``): 303 to the graph's Graph Store
  document, ``/store?graph=<IRI>``. A browser is sent to the graph's entry on the dataset page
  instead, where the same document is linked in each format: the Graph Store answers RDF only.
- ``/dataset``: the VoID description (the build's ``void.ttl``, or one made from the store's
  counts when there is no build), with ``void:sparqlEndpoint`` and a DCAT description of the
  dumps (``dcat:byteSize`` and ``spdx:checksum``, SHA-256); an HTML page for browsers.
- ``/dataset/class/<slug>``, ``/dataset/property/<slug>``: one VoID partition, the same way.
- ``/download/dataset.nq``, ``/download/dataset.trig`` and their ``.sha256`` files: dumps.py.

The dataset and its partitions are served at their own IRIs (200, no 303): a VoID dataset is a
document-like thing, and its description is what the IRI names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from rdflib.namespace import DCTERMS, OWL, RDF, VOID

from rlskg.ontology.namespaces import BASE, DATASET_IRI, DOWNLOAD, GRAPH, PREFIXES
from rlskg.service import errors
from rlskg.service.pages import dumps
from rlskg.service.pages.describe import href
from rlskg.service.pages.document import DOC_FORMATS, HTML, not_found, wants_html
from rlskg.service.pages.meta import dataset_schema
from rlskg.service.protocol import conditional, negotiation
from rlskg.service.rdf import serialize
from rlskg.service.state import state

bp = Blueprint("dataset", __name__)

DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = PREFIXES["xsd"]
IANA = "https://www.iana.org/assignments/media-types/"
_NAME = re.compile(r"[A-Za-z0-9_-]+")
# What each VoID count means, in words (the home page and the dataset page show these).
NUMBERS = {
    "triples": ("triples", "distinct triples in the union of the named graphs"),
    "entities": ("entities", "things with an IRI of their own under " + BASE),
    "classes": ("classes used as a type", "distinct objects of rdf:type (VoID's void:classes)"),
    "properties": ("properties used", "distinct predicates"),
    "distinctSubjects": ("distinct subjects", "everything that is described"),
    "distinctObjects": ("distinct objects", "everything that is pointed at, values included"),
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass
class Partition:
    iri: str
    kind: str  # "class" or "property"
    term: str  # the class or property IRI
    count: int  # entities of a class partition, triples of a property partition

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def path(self) -> str:
        return "/" + self.iri.removeprefix(BASE)

    @property
    def curie(self) -> str:
        return curie(self.term)

    @property
    def href(self) -> str | None:
        return href(self.term)


@dataclass
class Subset:
    iri: str
    triples: int
    description: str = ""
    source: str | None = None

    @property
    def name(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def store_href(self) -> str:
        return url_for("gsp.store", graph=self.iri)


@dataclass
class Void:
    """What the dataset page shows, read from the VoID triples."""

    title: str = ""
    version: str = ""
    license: str | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    subsets: list[Subset] = field(default_factory=list)
    classes: list[Partition] = field(default_factory=list)
    properties: list[Partition] = field(default_factory=list)
    dumps: list[str] = field(default_factory=list)
    vocabularies: list[str] = field(default_factory=list)


def curie(iri: str) -> str:
    """``rls:Association`` for an IRI under a project prefix, else the IRI.

    >>> curie("https://w3id.org/rlskg/ontology/Association"), curie("urn:x")
    ('rls:Association', 'urn:x')
    """
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def void_triples() -> list[ox.Triple]:
    """The build's VoID, or, with no build, a VoID made from the store's counts."""
    current = state()
    if current.void:
        return list(current.void)
    stats = current.store.stats()
    dataset = _n(DATASET_IRI)
    triples = [
        ox.Triple(dataset, _n(str(RDF.type)), _n(str(VOID.Dataset))),
        ox.Triple(dataset, _n(str(VOID.triples)), ox.Literal(stats.triples)),
        ox.Triple(dataset, _n(str(VOID.uriSpace)), ox.Literal(BASE)),
    ]
    triples += [ox.Triple(dataset, _n(str(VOID.dataDump)), _n(str(DOWNLOAD[name]))) for name in dumps.FILES]
    for name, count in sorted(stats.graphs.items()):
        triples += [
            ox.Triple(dataset, _n(str(VOID.subset)), _n(name)),
            ox.Triple(_n(name), _n(str(RDF.type)), _n(str(VOID.Dataset))),
            ox.Triple(_n(name), _n(str(VOID.triples)), ox.Literal(count)),
        ]
    return triples


def read_void(triples: Iterable[ox.Triple]) -> Void:
    """The page model of a VoID description."""
    by_subject: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            continue
        by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)

    def first(subject: str, predicate: object) -> str:
        values = by_subject.get(subject, {}).get(str(predicate), [])
        return values[0].value if values else ""

    def number(subject: str, predicate: object) -> int:
        text = first(subject, predicate)
        return int(text) if text.isdigit() else 0

    own = by_subject.get(DATASET_IRI, {})
    model = Void(
        title=first(DATASET_IRI, DCTERMS.title),
        version=first(DATASET_IRI, OWL.versionInfo),
        license=first(DATASET_IRI, DCTERMS.license) or None,
        numbers={name: number(DATASET_IRI, VOID[name]) for name in NUMBERS if str(VOID[name]) in own},
        dumps=sorted(o.value for o in own.get(str(VOID.dataDump), [])),
        vocabularies=sorted(o.value for o in own.get(str(VOID.vocabulary), [])),
    )
    for subset in own.get(str(VOID.subset), []):
        iri = subset.value
        source = first(iri, DCTERMS.source)
        model.subsets.append(
            Subset(
                iri,
                number(iri, VOID.triples),
                first(iri, DCTERMS.description),
                href(source) if source else None,
            )
        )
    model.subsets.sort(key=lambda s: s.iri)
    for predicate, kind, counted in (
        (VOID.classPartition, "class", VOID.entities),
        (VOID.propertyPartition, "property", VOID.triples),
    ):
        for node in own.get(str(predicate), []):
            term = first(node.value, VOID["class"] if kind == "class" else VOID.property)
            part = Partition(node.value, kind, term, number(node.value, counted))
            (model.classes if kind == "class" else model.properties).append(part)
    model.classes.sort(key=lambda p: (-p.count, p.curie))
    model.properties.sort(key=lambda p: (-p.count, p.curie))
    return model


def dcat_triples() -> list[ox.Triple]:
    """The dataset as a ``dcat:Dataset`` whose distributions are the dumps, each with its size and
    SHA-256 (``spdx:checksum``), computed from the bytes served."""
    dataset = _n(DATASET_IRI)
    triples = [
        ox.Triple(dataset, _n(str(RDF.type)), _n(DCAT + "Dataset")),
        ox.Triple(dataset, _n(str(VOID.sparqlEndpoint)), _n(request.url_root + "sparql")),
    ]
    for name, media_type in dumps.FILES.items():
        found = dumps.dump(name)
        distribution = _n(f"{DATASET_IRI}#{name.replace('.', '-')}")
        checksum = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _n(DCAT + "distribution"), distribution),
            ox.Triple(distribution, _n(str(RDF.type)), _n(DCAT + "Distribution")),
            ox.Triple(distribution, _n(DCAT + "downloadURL"), _n(str(DOWNLOAD[name]))),
            ox.Triple(distribution, _n(DCAT + "mediaType"), _n(IANA + media_type)),
            ox.Triple(
                distribution,
                _n(DCAT + "byteSize"),
                ox.Literal(str(len(found.body)), datatype=_n(XSD + "nonNegativeInteger")),
            ),
            ox.Triple(distribution, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, _n(str(RDF.type)), _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(
                checksum, _n(SPDX + "checksumValue"), ox.Literal(found.sha256, datatype=_n(XSD + "hexBinary"))
            ),
        ]
    return triples


def _negotiate(formats: tuple[negotiation.Format, ...] = DOC_FORMATS) -> str:
    if wants_html(request.headers.get("Accept")):
        return HTML
    ranked = negotiation.for_request(request, formats).graph
    if not ranked:
        errors.not_acceptable(f"this is available as text/html, {negotiation.supported(formats)}")
    return ranked[0]


def _rdf(triples: list[ox.Triple], media_type: str) -> Response:
    return Response(serialize(triples, media_type), content_type=negotiation.content_type(media_type))


@bp.get("/graph/<name>")
def named_graph(name: str) -> Response:
    """A named graph's IRI: 303 to its Graph Store document (browsers: its entry on /dataset)."""
    iri = str(GRAPH[name])
    if not _NAME.fullmatch(name) or iri not in state().store.named_graphs():
        return not_found(iri)
    if wants_html(request.headers.get("Accept")):
        location = url_for("dataset.dataset", _anchor=f"graph-{name}")
    else:
        location = url_for("gsp.store", graph=iri)
    return Response(status=303, headers={"Location": location, "Vary": "Accept"})


@bp.get("/dataset")
def dataset() -> Response:
    media_type = _negotiate()
    current = state()
    validator = conditional.ReadValidator(
        request, current.store.version, current.settings.cache_max_age, media_type, request.url_root
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    void = void_triples()
    if media_type != HTML:
        return validator.mark(_rdf(void + dcat_triples(), media_type))
    model = read_void(void)
    body = render_template(
        "dataset.html",
        iri=DATASET_IRI,
        canonical=request.url_root + "dataset",
        schema=dataset_schema(model.version or None),
        void=model,
        names=NUMBERS,
        downloads=[dumps.dump(name) for name in dumps.FILES],
    )
    return validator.mark(Response(body, content_type="text/html; charset=utf-8"))


@bp.get("/dataset/<any(class, property):kind>/<slug>")
def partition(kind: str, slug: str) -> Response:
    iri = f"{DATASET_IRI}/{kind}/{slug}"
    void = void_triples() if _NAME.fullmatch(slug) else []
    found = [
        p
        for p in (read_void(void).classes if kind == "class" else read_void(void).properties)
        if p.iri == iri
    ]
    if not found:
        return not_found(iri)
    media_type = _negotiate()
    current = state()
    validator = conditional.ReadValidator(
        request, current.store.version, current.settings.cache_max_age, media_type
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    if media_type != HTML:
        link = VOID.classPartition if kind == "class" else VOID.propertyPartition
        triples = [t for t in void if t.subject == _n(iri)]
        triples.append(ox.Triple(_n(DATASET_IRI), _n(str(link)), _n(iri)))
        return validator.mark(_rdf(triples, media_type))
    part = found[0]
    term = str(ox.NamedNode(part.term))  # checked: an IRI, in angle brackets
    sparql = (
        f"SELECT ?thing WHERE {{ ?thing a {term} }}\nLIMIT 100\n"
        if kind == "class"
        else f"SELECT ?subject ?object WHERE {{ ?subject {term} ?object }}\nLIMIT 100\n"
    )
    body = render_template(
        "partition.html",
        part=part,
        query_href=url_for("ui.query_page", query=sparql),
        canonical=request.url_root.rstrip("/") + part.path,
    )
    return validator.mark(Response(body, content_type="text/html; charset=utf-8"))


@bp.get("/download/<name>")
def download(name: str) -> Response:
    """A dump (dataset.nq, dataset.trig) or its checksum file (dataset.nq.sha256, ...)."""
    if name in dumps.FILES:
        return dumps.respond(name)
    if name.endswith(".sha256") and name.removesuffix(".sha256") in dumps.FILES:
        return dumps.respond_checksum(name.removesuffix(".sha256"))
    return not_found(str(DOWNLOAD[name]) if _NAME.fullmatch(name.replace(".", "_")) else None)
