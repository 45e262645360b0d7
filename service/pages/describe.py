"""Local IRIs and the SPARQL that describes them: the queries of ``service/pages/queries/*.rq``, bound to
one IRI and run through the store interface, so that pages work over any store.

The base ``https://w3id.org/rlskg/`` is mapped onto wherever the service runs: the IRI
``https://w3id.org/rlskg/ontology/Leg`` is served at ``/ontology/Leg``. The terms the graph reuses
from OBO ontologies (``http://purl.obolibrary.org/obo/CHEBI_18248``: the import modules' terms, the
mapping targets) are another site's IRIs: each has its page here, under ``/doc/obo/`` as under the
PURL's path (``/doc/obo/CHEBI_18248``), which links out to the PURL.

>>> iri_for("ontology/Leg"), iri_for("id/source/nhs"), iri_for("id/nothing/x"), iri_for("ontology/a b")
('https://w3id.org/rlskg/ontology/Leg', 'https://w3id.org/rlskg/id/source/nhs', None, None)
>>> iri_for(".well-known/genid/0294df26"), local_path("https://w3id.org/rlskg/.well-known/genid/0294df26")
('https://w3id.org/rlskg/.well-known/genid/0294df26', None)
>>> local_path("https://w3id.org/rlskg/id/source/nhs"), local_path("http://purl.obolibrary.org/obo/X")
('/id/source/nhs', None)
>>> href("https://w3id.org/rlskg/ontology/Leg"), href("http://purl.obolibrary.org/obo/X"), href("data:,x")
('/ontology/Leg', 'http://purl.obolibrary.org/obo/X', None)
>>> iri_for("obo/CHEBI_18248"), obo_path("http://purl.obolibrary.org/obo/CHEBI_18248")
('http://purl.obolibrary.org/obo/CHEBI_18248', '/doc/obo/CHEBI_18248')
>>> href("http://purl.obolibrary.org/obo/UBERON_0000955"), obo_curie("http://purl.obolibrary.org/obo/RO_0002200")
('/doc/obo/UBERON_0000955', 'RO:0002200')
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from rlskg.graph.stores import QueryDataset, ResultFormats, Store
from rlskg.ontology.namespaces import BASE, OBO, ONTOLOGY_IRI

QUERY_DIR = Path(__file__).parent / "queries"
# What a local IRI may look like: the ontology, a term, or a data node of a known kind. The name is
# restricted to characters that need no escaping in a SPARQL IRI, so binding one is safe.
_LOCAL = re.compile(
    r"ontology(/[A-Za-z0-9._~-]+)?|id/(source|association|figure|population|agent|work)/[A-Za-z0-9._~-]+"
)
# A skolem IRI (a blank node of the sources or the ontology, named by the build): it dereferences
# too, to the triples it stands in, but pages do not link to it as a resource of its own.
_GENID = re.compile(r"\.well-known/genid/[A-Za-z0-9_-]+")
GENID = BASE + ".well-known/genid/"
# An OBO term (``PREFIX_local``, as OBO principle 3 writes term IRIs) under the OBO PURL namespace:
# the name is restricted as _LOCAL's, so binding one is safe.
OBO_NAMESPACE = str(OBO)
_OBO_TERM = re.compile(r"([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9_]+)")
UNION = QueryDataset(union_default_graph=True)
TRIPLES = ResultFormats((), ("application/n-triples",))
SOLUTIONS = ResultFormats(("application/sparql-results+json",), ())


def iri_for(path: str) -> str | None:
    """The IRI whose document is ``/doc/<path>`` (a local IRI is also served at ``/<path>``), or
    None when the path names none: a local IRI, or an OBO term (``obo/CHEBI_18248``)."""
    if path.startswith("obo/") and _OBO_TERM.fullmatch(path[4:]):
        return OBO_NAMESPACE + path[4:]
    return BASE + path if _LOCAL.fullmatch(path) or _GENID.fullmatch(path) else None


def obo_curie(iri: str) -> str | None:
    """The CURIE of an OBO term IRI (``CHEBI:18248``), None for any other IRI."""
    if not iri.startswith(OBO_NAMESPACE):
        return None
    match = _OBO_TERM.fullmatch(iri[len(OBO_NAMESPACE) :])
    return f"{match.group(1)}:{match.group(2)}" if match else None


def obo_path(iri: str) -> str | None:
    """Where this service has the page of an OBO term IRI (``/doc/obo/CHEBI_18248``), or None."""
    return "/doc/obo/" + iri[len(OBO_NAMESPACE) :] if obo_curie(iri) else None


def local_path(iri: str) -> str | None:
    """Where this service serves a local IRI (its path), or None for a foreign or blank-node IRI."""
    if not iri.startswith(BASE) or iri.startswith(GENID):
        return None
    rest = iri[len(BASE) :]
    return "/" + rest if _LOCAL.fullmatch(rest) else None


def href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: its local path, else its page here for an OBO term (which links
    out to the PURL), else the IRI itself if it is http(s). None for any other scheme: data may hold
    ``javascript:`` or ``data:`` IRIs, and every href a page builds from data comes from here, so
    that none of them ever runs as a link."""
    return local_path(iri) or obo_path(iri) or (iri if iri.startswith(("http://", "https://")) else None)


def is_ontology(iri: str) -> bool:
    return iri == ONTOLOGY_IRI


@lru_cache(maxsize=32)
def load_query(name: str) -> str:
    """The text of ``service/pages/queries/<name>.rq``."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def bind(sparql: str, iri: str) -> str:
    """``sparql`` with every ``?this`` replaced by ``<iri>`` (a checked IRI: see ``iri_for``).

    >>> bind("ASK { ?this ?p ?thistle }", "https://w3id.org/rlskg/ontology/Leg")
    'ASK { <https://w3id.org/rlskg/ontology/Leg> ?p ?thistle }'
    """
    node = ox.NamedNode(iri)  # raises ValueError for anything that is not an IRI
    return re.sub(r"\?this\b", lambda _match: str(node), sparql)


def construct(store: Store, name: str, iri: str, timeout: float, max_bytes: int) -> list[ox.Triple]:
    """The triples a CONSTRUCT query of ``service/pages/queries`` gives for ``iri``."""
    answer = store.query(
        bind(load_query(name), iri), formats=TRIPLES, dataset=UNION, timeout=timeout, max_bytes=max_bytes
    )
    return [quad.triple for quad in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]


def select(
    store: Store, name: str, timeout: float, max_bytes: int, iri: str | None = None
) -> list[dict[str, str]]:
    """The rows of a SELECT query of ``pages/queries``: variable -> value (IRIs and literals alike)."""
    sparql = load_query(name) if iri is None else bind(load_query(name), iri)
    answer = store.query(sparql, formats=SOLUTIONS, dataset=UNION, timeout=timeout, max_bytes=max_bytes)
    data: dict[str, Any] = json.loads(answer.body)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def exists(store: Store, iri: str, timeout: float) -> bool:
    """Whether the graph says anything about ``iri``."""
    answer = store.query(
        bind(load_query("resource-exists"), iri), formats=SOLUTIONS, dataset=UNION, timeout=timeout
    )
    return bool(json.loads(answer.body)["boolean"])
