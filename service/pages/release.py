"""The ontology release, served at the ontology IRI: what OWL tools load.

The store's copy of the ontology is skolemised by the build (every restriction and class
expression a named ``/.well-known/genid/`` IRI), which no OWL tool reads as the ontology. So the
ontology IRI, its ``.owl``/``.rdf``/``.xml``/``.ttl``/``.jsonld``/``.nt`` forms and its versionIRI
serve the release files the build wrote (``build/ontology/rls.*``), blank nodes and all. Without a
build folder, the release is made in memory from the edit source, once, by the same writer.
RDF/XML comes first when a client states no preference, as OWL tools (the OWL API, owlready2)
expect.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from flask import Response
from rdflib import OWL, RDF, Graph

from rlskg.ontology.release import RELEASE_NAME, write_release
from rlskg.service.protocol import negotiation
from rlskg.service.state import state

# The release's file extensions by media type, RDF/XML first (OWL tools' default).
FILES = {
    "application/rdf+xml": "owl",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",  # made from the Turtle: the build writes no N-Triples
}
# What a URL's extension asks for (owlready2 tries .owl, .rdf and .xml after the bare IRI).
EXTENSIONS = {"owl": "application/rdf+xml", "rdf": "application/rdf+xml", "xml": "application/rdf+xml"} | {
    extension: media_type for media_type, extension in FILES.items()
}
FORMATS = tuple(f for media_type in FILES for f in negotiation.GRAPH_FORMATS if f.media_type == media_type)


class OntologyRelease:
    """The release files of one app (``out``: its build folder, or None), read once."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self._files: dict[str, bytes] | None = None
        self._version_iri: str | None = None
        self._lock = threading.Lock()

    def body(self, media_type: str) -> bytes:
        """The release in ``media_type`` (a key of FILES).

        :raises OntologySourceError: when there is no build and the edit source cannot be loaded.
        """
        return self._read()[media_type]

    def version_iri(self) -> str | None:
        self._read()
        return self._version_iri

    def _read(self) -> dict[str, bytes]:
        with self._lock:
            if self._files is None:
                folder = self.out / "ontology" if self.out is not None else None
                if folder is not None and all(
                    (folder / f"{RELEASE_NAME}.{e}").is_file() for e in ("owl", "ttl")
                ):
                    self._files = self._load(folder)
                else:
                    with tempfile.TemporaryDirectory() as scratch:
                        write_release(Path(scratch))
                        self._files = self._load(Path(scratch))
            return self._files

    def _load(self, folder: Path) -> dict[str, bytes]:
        files = {
            media_type: (folder / f"{RELEASE_NAME}.{extension}").read_bytes()
            for media_type, extension in FILES.items()
            if (folder / f"{RELEASE_NAME}.{extension}").is_file()
        }
        graph = Graph().parse(data=files["text/turtle"], format="turtle")
        files["application/n-triples"] = graph.serialize(format="nt", encoding="utf-8")
        ontology = next(graph.subjects(RDF.type, OWL.Ontology), None)
        version = graph.value(ontology, OWL.versionIRI) if ontology is not None else None
        self._version_iri = str(version) if version is not None else None
        return files


def response(media_type: str) -> Response:
    """The release in ``media_type`` (a key of FILES)."""
    body = state().ontology_release.body(media_type)
    return Response(body, content_type=negotiation.content_type(media_type))
