"""The SPARQL 1.1 Service Description, with the dataset's VoID, by content negotiation.

Served at /service-description, on GET /sparql without a query (with or without default-graph-uri,
as clients probe an endpoint's URL), and to programs at /. It lists the named graphs with their
sizes, says that the default graph is the union of all graphs, merges the build's void.ttl when
there is one, and points its dataset at the endpoint (void:sparqlEndpoint). Serialised once per
(URL, dataset version, format).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, request
from rdflib.namespace import RDF, RDFS, VOID

from rlskg.graph.manifest import VOID as VOID_FILE
from rlskg.graph.stores import QueryDataset, StoreStats
from rlskg.ontology.namespaces import SD
from rlskg.service import errors, rdf
from rlskg.service.protocol import conditional, negotiation
from rlskg.service.protocol.operation import check_iri
from rlskg.service.state import state

bp = Blueprint("description", __name__)

# W3C's IRIs for formats (https://www.w3.org/ns/formats/), by the media type we serve.
FORMATS_NS = "http://www.w3.org/ns/formats/"
FORMAT_NAMES = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON-LD",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
    "text/n3": "N3",
}
SIMPLE_ENTAILMENT = "http://www.w3.org/ns/entailment/Simple"
DATASET_NOTE = (
    "The dataset a query sent to this URL sees: the graphs its default-graph-uri and named-graph-uri "
    "name, in place of the union of all graphs."
)
UNION_NOTE = (
    "The default graph of a query that names no dataset (no FROM, no default-graph-uri) is the "
    "union of all graphs of the store; GRAPH reaches each named graph."
)
# SD formats: no SPARQL results formats here, and TriG/N-Quads add nothing for one graph.
DESCRIPTION_FORMATS = tuple(
    f for f in negotiation.GRAPH_FORMATS if f.media_type not in ("application/trig", "application/n-quads")
)


def _iri(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def read_void(out: Path | None) -> list[ox.Triple]:
    """The triples of the build's void.ttl, or none when the build wrote none."""
    path = out / VOID_FILE if out is not None else None
    if path is None or not path.is_file():
        return []
    return [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]


def _dataset_node(void: list[ox.Triple]) -> ox.NamedNode | ox.BlankNode:
    """The VoID dataset that is no other's subset, when there is exactly one."""
    datasets = {t.subject for t in void if t.predicate == _iri(RDF.type) and t.object == _iri(VOID.Dataset)}
    subsets = {t.object for t in void if t.predicate == _iri(VOID.subset)}
    roots = [d for d in datasets - subsets if isinstance(d, ox.NamedNode)]
    return roots[0] if len(roots) == 1 else ox.BlankNode()


def describe(
    service_iri: str,
    endpoint: str,
    stats: StoreStats,
    void: list[ox.Triple],
    writable: bool,
    federated: bool,
    protocol_dataset: QueryDataset | None = None,
) -> list[ox.Triple]:
    """The service description graph. The service is named by the URL the description was fetched
    from (``service_iri``): clients such as Comunica read ``sd:endpoint`` only off the document's
    own subject, and find the endpoint from the service root or /service-description that way.

    When that URL names a dataset (``default-graph-uri``, ``named-graph-uri``), the dataset
    described is that one, as a query sent with those parameters sees it, not the union."""
    if protocol_dataset is not None:
        return _with_dataset(service_iri, endpoint, stats, writable, federated, protocol_dataset)
    service, dataset = ox.NamedNode(service_iri), _dataset_node(void)
    triples: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: object, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        triples.append(ox.Triple(s, _iri(p), o))

    add(service, RDF.type, _iri(SD.Service))
    add(service, SD.endpoint, ox.NamedNode(endpoint))
    add(service, SD.supportedLanguage, _iri(SD.SPARQL11Query))
    if writable:
        add(service, SD.supportedLanguage, _iri(SD.SPARQL11Update))
    for media_type in FORMAT_NAMES:
        add(service, SD.resultFormat, ox.NamedNode(FORMATS_NS + FORMAT_NAMES[media_type]))
    add(service, SD.feature, _iri(SD.UnionDefaultGraph))
    if federated:
        add(service, SD.feature, _iri(SD.BasicFederatedQuery))
    add(service, SD.defaultEntailmentRegime, ox.NamedNode(SIMPLE_ENTAILMENT))
    add(service, RDFS.comment, ox.Literal(UNION_NOTE, language="en"))
    add(service, SD.defaultDataset, dataset)
    if isinstance(dataset, ox.NamedNode):  # the VoID dataset: where to query it
        add(dataset, VOID.sparqlEndpoint, ox.NamedNode(endpoint))
    triples += _dataset(dataset, stats.triples, sorted(stats.graphs.items()))
    return triples + void


def _dataset(
    dataset: ox.NamedNode | ox.BlankNode, default_triples: int, named: list[tuple[str, int]]
) -> list[ox.Triple]:
    """An sd:Dataset: its default graph's size, and each named graph with its size."""
    default = ox.BlankNode()
    triples = [
        ox.Triple(dataset, _iri(RDF.type), _iri(SD.Dataset)),
        ox.Triple(dataset, _iri(SD.defaultGraph), default),
        ox.Triple(default, _iri(RDF.type), _iri(SD.Graph)),
        ox.Triple(default, _iri(VOID.triples), ox.Literal(default_triples)),
    ]
    for name, count in named:
        entry, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(SD.namedGraph), entry),
            ox.Triple(entry, _iri(RDF.type), _iri(SD.NamedGraph)),
            ox.Triple(entry, _iri(SD.name), ox.NamedNode(name)),
            ox.Triple(entry, _iri(SD.graph), graph),
            ox.Triple(graph, _iri(RDF.type), _iri(SD.Graph)),
            ox.Triple(graph, _iri(VOID.triples), ox.Literal(count)),
        ]
    return triples


def _with_dataset(
    service_iri: str, endpoint: str, stats: StoreStats, writable: bool, federated: bool, named: QueryDataset
) -> list[ox.Triple]:
    """The description of a dataset-scoped endpoint URL: the service as usual, its default dataset
    the graphs the URL names (sizes from the store's counts; a graph it lacks counts 0)."""
    triples = [
        t
        for t in describe(service_iri, endpoint, stats, [], writable, federated)
        if t.predicate != _iri(SD.defaultDataset)
    ]
    service, dataset = ox.NamedNode(service_iri), ox.BlankNode()
    triples.append(ox.Triple(service, _iri(SD.defaultDataset), dataset))
    triples.append(ox.Triple(dataset, _iri(RDFS.comment), ox.Literal(DATASET_NOTE, language="en")))
    default_triples = sum(stats.graphs.get(g, 0) for g in named.default_graphs)
    triples += _dataset(dataset, default_triples, [(n, stats.graphs.get(n, 0)) for n in named.named_graphs])
    # Every other node of the plain description (the VoID, the union's graphs) is left out.
    kept = {service, dataset} | {t.object for t in triples if t.subject == dataset}
    kept |= {t.object for t in triples if t.subject in kept}
    return [t for t in triples if t.subject in kept]


def _protocol_dataset() -> QueryDataset | None:
    """The dataset the request's URL names with default-graph-uri and named-graph-uri, if any."""
    default = tuple(request.args.getlist("default-graph-uri"))
    named = tuple(request.args.getlist("named-graph-uri"))
    if not default and not named:
        return None
    return QueryDataset(
        tuple(check_iri(g, "default-graph-uri") for g in default),
        tuple(check_iri(g, "named-graph-uri") for g in named),
    )


def serialize(triples: Iterable[ox.Triple], media_type: str) -> bytes:
    """The description in ``media_type``: the prefixes it uses, JSON-LD compacted (service.rdf)."""
    return rdf.serialize(triples, media_type)


def _service_iri() -> str:
    """The URL this description was fetched from, byte for byte (its query string as sent, still
    percent-encoded: a client matches the description's subject against the URL it fetched);
    without its query string when that is not an IRI (``?[``: a browser may send it so)."""
    query = request.environ.get("QUERY_STRING", "")
    try:
        return ox.NamedNode(request.base_url + (f"?{query}" if query else "")).value
    except ValueError:
        return request.base_url


def respond() -> Response:
    """The description in the negotiated format (also the answer to GET /sparql without a query)."""
    current = state()
    negotiated = negotiation.for_request(request, DESCRIPTION_FORMATS)
    if not negotiated.graph:
        errors.not_acceptable(
            f"the service description is available as {negotiation.supported(DESCRIPTION_FORMATS)}"
        )
    media_type = negotiated.graph[0]
    endpoint = request.url_root + "sparql"
    stats = current.store.stats()
    validator = conditional.ReadValidator(request, stats.version, current.settings.cache_max_age, endpoint)
    if (cached := validator.not_modified()) is not None:
        return cached
    service_iri = _service_iri()
    key = (service_iri, stats.version, media_type)
    body = current.descriptions.get(key)
    if body is None:
        settings = current.settings
        graph = describe(
            service_iri,
            endpoint,
            stats,
            current.void,
            settings.writable,
            bool(settings.service_allowlist),
            _protocol_dataset(),
        )
        body = serialize(graph, media_type)
        if len(current.descriptions) > 64:  # a few endpoints x formats; never grows unbounded
            current.descriptions.clear()
        current.descriptions[key] = body
    response = Response(body, content_type=negotiated.content_type(media_type))
    return validator.mark(response)


@bp.get("/service-description")
def service_description() -> Response:
    return respond()
