"""rdflib as the store (``--store rdflib``): an rdflib ``Dataset`` in memory.

rdflib's engine is 30-100x slower than Oxigraph's on joins and aggregates (bench/README.md): this
backend is for comparison and for deployments that must stay pure Python. Three workarounds:
- parsing a query costs ~3 ms, so prepared queries are cached by text;
- rdflib 7.6 raises on ``INSERT DATA`` into a ``Dataset``'s default graph, so updates and queries
  go through ``ConjunctiveGraph`` views over the same in-memory store (no copy);
- a full garbage collection over 10^6 triples takes ~1 s, so ``gc.freeze()`` after each load.
FROM / FROM NAMED and the protocol's dataset never fetch anything: the graphs named are copied
from the store into a scratch dataset for that query (rdflib would otherwise parse the IRIs), and
``SPARQL_LOAD_GRAPHS`` is off, so USING and LOAD name this store's graphs too.
rdflib applies an update's operations one by one, with no transaction: served with evaluators
(POOL_SIZE > 0, the default), an update is first run on an evaluator's copy and applied only if
it ran to the end (``graph.stores.forked``); used in-process, a failing update may be half done.
"""

from __future__ import annotations

import copy
import gc
import io
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import BNode, ConjunctiveGraph, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from rlskg.graph.stores.base import (
    DEFAULT_DATASET,
    EMPTY_VERSION,
    Answer,
    CappedWriter,
    DataSyntaxError,
    EvaluationError,
    GraphNotFound,
    Isolation,
    QueryDataset,
    QuerySyntaxError,
    ResultFormats,
    ResultKind,
    StoreStats,
    content_version,
    dataset_formats,
    file_format,
    next_version,
    parse_triples,
    pick,
    too_large,
    write_update,
)

RDFLIB_FORMATS = {
    ox.RdfFormat.TURTLE: "turtle",
    ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.TRIG: "trig",
    ox.RdfFormat.N_QUADS: "nquads",
    ox.RdfFormat.RDF_XML: "xml",
    ox.RdfFormat.JSON_LD: "json-ld",
    ox.RdfFormat.N3: "n3",
}
# Result formats rdflib writes itself; others go through SPARQL JSON and pyoxigraph.
RDFLIB_RESULTS = {
    ox.QueryResultsFormat.JSON: "json",
    ox.QueryResultsFormat.XML: "xml",
}


def _view(store: Dataset, union: bool) -> ConjunctiveGraph:
    with warnings.catch_warnings():  # deprecated, but the one class whose updates work here
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = ConjunctiveGraph(store=store.store, identifier=DATASET_DEFAULT_GRAPH_ID)
    graph.default_union = union
    return graph


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise EvaluationError(f"cannot represent {term!r} as an RDF term")


def _ox_triples(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    return [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in triples]  # type: ignore[arg-type]


class RdflibStore:
    """An rdflib ``Dataset`` behind the ``Store`` interface; ``timeout`` is enforced by the pool."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        # FROM, FROM NAMED, USING and LOAD name graphs of this store, never documents to fetch:
        # rdflib would otherwise parse any IRI, file: ones included.
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self._dataset = Dataset()
        self._union = _view(self._dataset, union=True)
        self._plain = _view(self._dataset, union=False)
        self._prefixes = prefixes or {}
        self._version = EMPTY_VERSION
        self._stats: StoreStats | None = None
        self._prepare = lru_cache(maxsize=256)(self._parse)

    @property
    def version(self) -> str:
        return self._version

    @property
    def isolation(self) -> Isolation:
        return Isolation("fork")  # pure Python objects: children share them copy-on-write

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None:
        formats = [file_format(path) for path in paths]
        for path, fmt in zip(paths, formats, strict=True):
            try:
                with path.open("rb") as stream, warnings.catch_warnings():
                    # rdflib's own parse reaches a deprecated property of its Dataset.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    # resolve(): as_uri() refuses a relative path (the default `--out build`).
                    self._dataset.parse(stream, format=RDFLIB_FORMATS[fmt], publicID=path.resolve().as_uri())
            except (SyntaxError, ValueError) as error:
                raise DataSyntaxError(f"{path.name}: {error}") from None
        gc.freeze()  # the loaded graph is long-lived: keep it out of every later collection
        self._changed(version or content_version(paths))

    def _parse(self, sparql: str, base_iri: str | None) -> Query:
        try:
            return prepareQuery(sparql, initNs=self._prefixes, base=base_iri)
        except Exception as error:  # pyparsing's ParseException, and rdflib's own on bad prefixes
            raise QuerySyntaxError(str(error)) from None

    def query(
        self,
        sparql: str,
        *,
        formats: ResultFormats,
        dataset: QueryDataset = DEFAULT_DATASET,
        timeout: float | None = None,
        max_bytes: int | None = None,
        base_iri: str | None = None,
    ) -> Answer:
        prepared = self._prepare(sparql, base_iri)
        try:
            result = self._evaluate(prepared, dataset)
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                assert result.graph is not None
                media_type = pick(formats.graph, ox.RdfFormat.from_media_type, "CONSTRUCT and DESCRIBE")
                body = self._serialize(_ox_triples(result.graph), media_type, max_bytes)
                return Answer(body, media_type, "graph")
            kind: ResultKind = "boolean" if result.type == "ASK" else "solutions"
            media_type = pick(formats.solutions, ox.QueryResultsFormat.from_media_type, "SELECT and ASK")
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            assert results_format is not None  # picked by from_media_type
            body = _results_bytes(result, results_format)
        except (QuerySyntaxError, GraphNotFound):
            raise
        except Exception as error:  # rdflib raises bare Exceptions while evaluating
            raise EvaluationError(f"{type(error).__name__}: {error}") from None
        if max_bytes is not None and len(body) > max_bytes:
            raise too_large(max_bytes)
        return Answer(body, media_type, kind)

    def _evaluate(self, prepared: Query, dataset: QueryDataset) -> Result:
        clause = prepared.algebra.get("datasetClause")
        if dataset.default_graphs or dataset.named_graphs:
            defaults, named = dataset.default_graphs, dataset.named_graphs
        elif clause:
            defaults = tuple(str(c.default) for c in clause if c.get("default"))
            named = tuple(str(c.named) for c in clause if c.get("named"))
        else:
            return (self._union if dataset.union_default_graph else self._plain).query(prepared)
        scratch = _view(Dataset(), union=False)
        for iri in defaults:
            scratch.get_context(DATASET_DEFAULT_GRAPH_ID).__iadd__(self._dataset.graph(URIRef(iri)))
        for iri in named:
            scratch.get_context(URIRef(iri)).__iadd__(self._dataset.graph(URIRef(iri)))
        algebra = copy.copy(prepared.algebra)
        algebra["datasetClause"] = None  # the graphs are in place: rdflib must not fetch them
        return scratch.query(Query(prepared.prologue, algebra))

    def _serialize(
        self, triples: Sequence[ox.Triple] | Sequence[ox.Quad], media_type: str, max_bytes: int | None
    ) -> bytes:
        sink = CappedWriter(max_bytes)
        fmt = ox.RdfFormat.from_media_type(media_type)
        assert fmt is not None  # picked by from_media_type
        ox.serialize(triples, sink, fmt, prefixes=self._prefixes)
        return sink.getvalue()

    def update(self, sparql: str, *, timeout: float | None = None, base_iri: str | None = None) -> None:
        try:
            parsed = translateUpdate(parseUpdate(sparql), base=base_iri, initNs=self._prefixes)
            self._plain.update(parsed)
        except Exception as error:  # rdflib raises ParseException or bare Exceptions
            name = type(error).__name__
            kind = QuerySyntaxError if "Parse" in name else EvaluationError
            raise kind(f"{name}: {error}") from None
        self._changed(next_version(self._version, sparql))

    def get_graph(
        self,
        graph: str | None,
        *,
        formats: ResultFormats,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        if graph is not None and graph not in self.stats().graphs:
            raise GraphNotFound(f"no graph named <{graph}>")
        media_type = pick(formats.graph, ox.RdfFormat.from_media_type, "a graph")
        source = self._dataset.graph(URIRef(graph) if graph else DATASET_DEFAULT_GRAPH_ID)
        return Answer(self._serialize(_ox_triples(source), media_type, max_bytes), media_type, "graph")

    def get_dataset(
        self, *, formats: ResultFormats, timeout: float | None = None, max_bytes: int | None = None
    ) -> Answer:
        media_type = pick(dataset_formats(formats), ox.RdfFormat.from_media_type, "a dataset")
        quads: list[ox.Quad] = []
        for s, p, o, g in self._dataset.quads():
            name = ox.DefaultGraph() if g in (None, DATASET_DEFAULT_GRAPH_ID) else _ox(g)
            quads.append(ox.Quad(_ox(s), _ox(p), _ox(o), name))  # type: ignore[arg-type]
        return Answer(self._serialize(quads, media_type, max_bytes), media_type, "graph")

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        created = graph is not None and graph not in self.stats().graphs
        self.update(write_update(graph, parse_triples(data, media_type, base_iri), replace=True))
        return created

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        created = graph is not None and graph not in self.stats().graphs
        self.update(write_update(graph, parse_triples(data, media_type, base_iri), replace=False))
        return created

    def delete_graph(self, graph: str | None) -> None:
        if graph is not None and graph not in self.stats().graphs:
            raise GraphNotFound(f"no graph named <{graph}>")
        self.update("DROP DEFAULT" if graph is None else f"DROP GRAPH <{graph}>")

    def named_graphs(self) -> list[str]:
        return sorted(self.stats().graphs)

    def stats(self) -> StoreStats:
        if self._stats is None:
            graphs: dict[str, int] = {}
            default = 0
            for context in self._dataset.graphs():
                size = len(context)
                if context.identifier == DATASET_DEFAULT_GRAPH_ID:
                    default = size
                elif size:
                    graphs[str(context.identifier)] = size
            self._stats = StoreStats.of(self._version, default, graphs)
        return self._stats

    def close(self) -> None:
        """Nothing to release: the dataset lives in memory."""

    def _changed(self, version: str) -> None:
        self._version = version
        self._stats = None


def _results_bytes(result: Result, fmt: ox.QueryResultsFormat) -> bytes:
    """Solutions or a boolean in ``fmt``: rdflib's own writer, or SPARQL JSON re-read by pyoxigraph."""
    native = RDFLIB_RESULTS.get(fmt)
    data = result.serialize(format=native or "json")
    assert isinstance(data, bytes)
    if native:
        return data
    sink = io.BytesIO()
    ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(sink, fmt)
    return sink.getvalue()
