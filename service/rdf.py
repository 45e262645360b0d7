"""How the pages write RDF: the prefixes a document uses (not all 26 of the project), and JSON-LD in
compact form with an ``@context``, so that a plain JSON reader gets ``"rdfs:label"`` keys rather
than full IRIs and ``@value`` objects for every IRI.

Oxigraph writes Turtle, N3, N-Triples and RDF/XML; rdflib's JSON-LD serializer compacts (Oxigraph's
JSON-LD is expanded). The context maps each used prefix to its namespace, so that the document
expands to exactly the same triples.

>>> import json
>>> leg = ox.NamedNode("https://w3id.org/rlskg/ontology/Leg")
>>> triples = [ox.Triple(leg, ox.NamedNode(RDFS_LABEL), ox.Literal("leg", language="en"))]
>>> sorted(used_prefixes(triples))
['rdfs', 'rls']
>>> document = json.loads(serialize(triples, "application/ld+json"))
>>> document["@context"]["rls"], document["@id"], document["rdfs:label"]
('https://w3id.org/rlskg/ontology/', 'rls:Leg', {'@language': 'en', '@value': 'leg'})
>>> serialize(triples, "text/n3").decode().splitlines()[-1]
'rls:Leg rdfs:label "leg"@en .'
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from rlskg.ontology.namespaces import PREFIXES

JSON_LD = "application/ld+json"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
# Vocabularies the pages use beside the project's (the dataset's DCAT description).
NAMESPACES = PREFIXES | {"dcat": "http://www.w3.org/ns/dcat#", "spdx": "http://spdx.org/rdf/terms#"}
# Datatypes that Turtle writes without naming them.
PLAIN = {PREFIXES["xsd"] + "string", PREFIXES["rdf"] + "langString"}


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The project's prefixes whose namespace holds an IRI of ``triples`` (terms or datatypes)."""
    iris: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and term.datatype.value not in PLAIN:
                iris.add(term.datatype.value)
    used = {prefix for prefix in map(_prefix_of, iris) if prefix is not None}
    return {p: NAMESPACES[p] for p in NAMESPACES if p in used}


_BY_NAMESPACE = {namespace: prefix for prefix, namespace in NAMESPACES.items()}


def _prefix_of(iri: str) -> str | None:
    """The prefix whose namespace is the longest start of ``iri`` (an IRI under ontology/imports/
    is not counted for ontology/ too). Every namespace ends in / or #: only the starts of ``iri``
    that end there are looked up, a few dictionary lookups instead of one test per namespace.

    >>> _prefix_of("https://w3id.org/rlskg/ontology/Leg"), _prefix_of("https://w3id.org/rlskg/ontology/")
    ('rls', None)
    """
    end = len(iri) - 1  # a namespace must be shorter than the IRI
    while end > 0:
        cut = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
        if cut < 0:
            return None
        prefix = _BY_NAMESPACE.get(iri[: cut + 1])
        if prefix is not None:
            return prefix
        end = cut
    return None


def serialize(triples: Iterable[ox.Triple], media_type: str) -> bytes:
    """``triples`` in ``media_type`` (any RDF format Oxigraph writes), JSON-LD compacted."""
    listed = list(triples)
    prefixes = used_prefixes(listed)
    if media_type == JSON_LD:
        lines = ox.serialize(listed, format=ox.RdfFormat.N_TRIPLES) or b""
        graph = Graph(bind_namespaces="none").parse(data=lines.decode("utf-8"), format="nt")
        text = graph.serialize(format="json-ld", context=prefixes, auto_compact=True)
        return text.encode("utf-8")
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"{media_type} is not an RDF format")
    return ox.serialize(listed, format=fmt, prefixes=prefixes) or b""
