"""The ontology release, served at the ontology IRI: what OWL and OBO tools load.

The store's copy of the ontology is skolemised by the build (every restriction and class
expression a named ``/.well-known/genid/`` IRI), which no OWL tool reads as the ontology. So the
ontology IRI and its file forms serve the release files the build wrote (``build/ontology/``,
``ontology/release.py``), blank nodes and all:

| URL | file | media type |
| --- | --- | --- |
| ``/ontology`` (no Accept), ``/ontology.owl`` ``.rdf`` ``.xml`` | ``rls.owl`` (full) | RDF/XML |
| ``/ontology.ttl``, ``.jsonld``, ``.nt`` | ``rls.ttl``, ``rls.jsonld``, N-Triples of ``rls.ttl`` | as named |
| ``/ontology.obo`` | ``rls.obo`` | ``text/obo`` |
| ``/ontology.json`` | ``rls.json`` (OBO Graphs) | ``application/json`` |
| ``/ontology-base.owl`` (``.rdf``, ``.xml``, ``.ttl``, ``.nt``) | ``rls-base.*`` | as above |
| ``/ontology-simple.owl`` (``.rdf``, ``.xml``, ``.ttl``, ``.nt``) | ``rls-simple.*`` | as above |
| ``/ontology/releases/<date>/<file>`` | each file by its own name (the versionIRIs) | as above |
| ``/model`` (no Accept), ``/model.owl`` ``.rdf`` ``.xml`` | ``rlskg-model.owl`` (the data model) | RDF/XML |
| ``/model.ttl``, ``.nt``, ``.jsonld`` | ``rlskg-model.ttl``, N-Triples and compact JSON-LD of it | as named |
| ``/model/releases/<date>/<file>`` | ``rlskg-model.owl``, ``.ttl``, ``.nt`` (its versionIRI) | as above |

The data model (``https://w3id.org/rlskg/model``) is an ontology of its own, released beside the
disease ontology: its IRI negotiates RDF/XML, Turtle and N-Triples (a browser that prefers HTML
gets the Turtle as plain text, to read), and has no OBO form.

RDF/XML comes first when a client states no preference, as OWL tools (the OWL API, owlready2)
expect. OBO has no registered media type: ``text/obo`` is the one OBO readers that declare one use
(Cytoscape's OBO reader, the OWL API format tables of other tools), with ``charset=utf-8`` (the
file is UTF-8 text). OBO Graphs JSON has none either; it is served as ``application/json``, and is
reached by its URL only: ``Accept: application/json`` on the ontology IRI keeps meaning JSON-LD.
A versionIRI answers only for the version the build holds (404 for any other date).

Without a build folder, the release is made in memory from the edit source, once, by the same
writer, unclassified (classifying needs Java, which serving does not): ``rlskg build`` is what
adds HermiT's conclusions.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

from flask import Response
from rdflib import OWL, RDF, Graph

from rlskg.ontology.namespaces import BASE, MODEL_IRI, PREFIXES
from rlskg.ontology.obo import OBO_NAME
from rlskg.ontology.products import BASE as BASE_PRODUCT
from rlskg.ontology.products import FULL, MODEL, SIMPLE
from rlskg.ontology.release import write_release
from rlskg.service.protocol import negotiation
from rlskg.service.state import state

OBO_MEDIA_TYPE = "text/obo"
OBOGRAPHS_MEDIA_TYPE = "application/json"
RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/ld+json", "application/n-triples")
# The release's file extensions by media type, RDF/XML first (OWL tools' default).
FILES = {
    "application/rdf+xml": "owl",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",  # made from the Turtle: the build writes no N-Triples
    OBO_MEDIA_TYPE: "obo",
    OBOGRAPHS_MEDIA_TYPE: "json",
}
# What a URL's extension asks for (owlready2 tries .owl, .rdf and .xml after the bare IRI).
EXTENSIONS = {"owl": "application/rdf+xml", "rdf": "application/rdf+xml", "xml": "application/rdf+xml"} | {
    extension: media_type for media_type, extension in FILES.items()
}
# The products by the suffix of the ontology IRI's path (/ontology, /ontology-base, ...), and the
# media types each is served in (the OBO and OBO Graphs forms are of the simple product).
PRODUCTS = {"": FULL, "base": BASE_PRODUCT, "simple": SIMPLE}
SERVED: dict[str, tuple[str, ...]] = {
    FULL: (*RDF_TYPES, OBO_MEDIA_TYPE, OBOGRAPHS_MEDIA_TYPE),
    BASE_PRODUCT: ("application/rdf+xml", "text/turtle", "application/n-triples"),
    SIMPLE: ("application/rdf+xml", "text/turtle", "application/n-triples"),
    MODEL: ("application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"),
}
# Content negotiation on the ontology IRI: the RDF forms of the full product, then OBO.
FORMATS = (
    *(f for media_type in RDF_TYPES for f in negotiation.GRAPH_FORMATS if f.media_type == media_type),
    negotiation.Format(OBO_MEDIA_TYPE, ("obo",)),
)
_FILE_NAME = re.compile(r"^(?P<stem>rls(?:-base|-simple)?)\.(?P<extension>\w+)$")
# Content negotiation on the data model's IRI, RDF/XML first.
MODEL_FORMATS = tuple(f for f in FORMATS if f.media_type in SERVED[MODEL])
_MODEL_FILE_NAME = re.compile(rf"^{MODEL}\.(?P<extension>\w+)$")


class OntologyRelease:
    """The release files of one app (``out``: its build folder, or None), read once."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self._files: dict[tuple[str, str], bytes] | None = None
        self._version_iris: dict[str, str] = {}
        self._lock = threading.Lock()

    def body(self, media_type: str, product: str = FULL) -> bytes:
        """``product`` (a file stem: ``rls``, ``rls-base``, ``rls-simple``) in ``media_type``.

        :raises KeyError: the product is not served in that media type.
        :raises OntologySourceError: when there is no build and the edit source cannot be loaded.
        """
        return self._read()[(product, media_type)]

    def version_iri(self) -> str | None:
        """The full product's versionIRI (``.../releases/<date>/rls.owl``)."""
        return self._read_version(FULL)

    def model_version_iri(self) -> str | None:
        """The data model's versionIRI (``https://w3id.org/rlskg/model/releases/<date>/rlskg-model.owl``)."""
        return self._read_version(MODEL)

    def has(self, product: str) -> bool:
        """Whether the release holds ``product`` (a build made before the data model had its own
        file has no ``rlskg-model``)."""
        return any(stem == product for stem, _media_type in self._read())

    def _read_version(self, product: str) -> str | None:
        self._read()
        return self._version_iris.get(product)

    def _read(self) -> dict[tuple[str, str], bytes]:
        with self._lock:
            if self._files is None:
                folder = self.out / "ontology" if self.out is not None else None
                if folder is not None and all((folder / f"{FULL}.{e}").is_file() for e in ("owl", "ttl")):
                    self._files = self._load(folder)
                else:
                    with tempfile.TemporaryDirectory() as scratch:
                        write_release(Path(scratch))
                        self._files = self._load(Path(scratch))
            return self._files

    def _load(self, folder: Path) -> dict[tuple[str, str], bytes]:
        files: dict[tuple[str, str], bytes] = {}
        for product, media_types in SERVED.items():
            for media_type in media_types:
                stem = OBO_NAME if media_type in (OBO_MEDIA_TYPE, OBOGRAPHS_MEDIA_TYPE) else product
                path = folder / f"{stem}.{FILES[media_type]}"
                if path.is_file():
                    files[(product, media_type)] = path.read_bytes()
            turtle = files.get((product, "text/turtle"))
            if turtle is not None:
                graph = Graph().parse(data=turtle, format="turtle")
                files[(product, "application/n-triples")] = graph.serialize(format="nt", encoding="utf-8")
                if "application/ld+json" in media_types and (product, "application/ld+json") not in files:
                    # the build writes no JSON-LD of this product: compact JSON-LD made from the Turtle
                    files[(product, "application/ld+json")] = graph.serialize(
                        format="json-ld", context=dict(PREFIXES), auto_compact=True, encoding="utf-8"
                    )
                ontology = next(graph.subjects(RDF.type, OWL.Ontology), None)
                version = graph.value(ontology, OWL.versionIRI) if ontology is not None else None
                if version is not None:
                    self._version_iris[product] = str(version)
        return files


def response(media_type: str, product: str = FULL) -> Response:
    """``product`` in ``media_type``, with its Content-Type."""
    body = state().ontology_release.body(media_type, product)
    return Response(body, content_type=content_type(media_type))


def content_type(media_type: str) -> str:
    if media_type == OBO_MEDIA_TYPE:
        return f"{OBO_MEDIA_TYPE}; charset=utf-8"
    return negotiation.content_type(media_type)


def product_file(variant: str, extension: str) -> tuple[str, str] | None:
    """(product, media type) for ``/ontology[-variant].<extension>``, or None when not served."""
    product = PRODUCTS.get(variant)
    media_type = EXTENSIONS.get(extension)
    if product is None or media_type is None or media_type not in SERVED[product]:
        return None
    return product, media_type


def versioned_file(version: str, name: str) -> tuple[str, str] | None:
    """(product, media type) for ``/ontology/releases/<version>/<name>``, or None when that is not
    a file of the version served (``rls.owl``, ``rls-base.ttl``, ``rls.obo``, ...)."""
    match = _FILE_NAME.match(name)
    if (
        match is None
        or state().ontology_release.version_iri() != f"{BASE}ontology/releases/{version}/rls.owl"
    ):
        return None
    stem, extension = match.group("stem"), match.group("extension")
    if extension in ("obo", "json"):  # rls.obo and rls.json are files of their own, not variants
        return product_file("", extension) if stem == OBO_NAME else None
    return product_file(stem.removeprefix(FULL).removeprefix("-"), extension)


def model_file(extension: str | None) -> str | None:
    """The media type of ``/model.<extension>``, or None when the data model is not served so."""
    media_type = EXTENSIONS.get(extension or "")
    return media_type if media_type in SERVED[MODEL] else None


def versioned_model_file(version: str, name: str) -> str | None:
    """The media type of ``/model/releases/<version>/<name>``, or None when that is not a file of
    the version served (``rlskg-model.owl``, ``.ttl``, ``.nt``)."""
    match = _MODEL_FILE_NAME.match(name)
    if match is None or state().ontology_release.model_version_iri() != (
        f"{MODEL_IRI}/releases/{version}/{MODEL}.owl"
    ):
        return None
    return model_file(match.group("extension"))
