"""The store interface the service talks to, and its embedded-Oxigraph implementation.

The service never learns which store it has. It sends SPARQL text, the dataset to query, the media
types the client accepts, a time limit and a size limit; it gets back bytes already serialised and
their media type. Errors are the classes below, never HTTP ones: ``service/errors.py`` maps them.

>>> store = OxigraphStore()
>>> store.post_graph("http://ex/g", b"<http://ex/a> <http://ex/p> <http://ex/b> .", "text/turtle")
True
>>> store.query("ASK { ?s ?p ?o }", formats=ResultFormats(("text/csv",), ())).body
b'false'
>>> union = QueryDataset(union_default_graph=True)
>>> store.query("ASK { ?s ?p ?o }", formats=ResultFormats(("text/csv",), ()), dataset=union).body
b'true'
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import pyoxigraph as ox

from graph.manifest import MANIFEST, NQUADS, TRIG, Manifest, file_hash
from ontology.namespaces import PREFIXES

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12


class StoreError(Exception):
    """Base of what a store raises; ``str(error)`` is a message fit to show the client."""


class QuerySyntaxError(StoreError):
    """The query or update does not parse; the message carries the parser's line:column."""


class EvaluationError(StoreError):
    """A well-formed query or update failed while running (a SERVICE call, a bad LOAD...)."""


class QueryTimeout(StoreError):
    """The evaluation ran past its time limit and was stopped."""


class ResultTooLarge(StoreError):
    """The serialised result grew past the size limit; evaluation was stopped."""


class NotAcceptable(StoreError):
    """None of the offered media types can carry this kind of result."""


class DataSyntaxError(StoreError):
    """RDF data (a request body or a file) does not parse."""


class UnsupportedFormat(StoreError):
    """RDF data in a format the store cannot read."""


class GraphNotFound(StoreError):
    """The named graph is not in the store."""


class StoreUnavailable(StoreError):
    """The store cannot take the request now (every evaluator busy, or shutting down)."""


class StoreCrashed(StoreError):
    """The evaluator died while answering: a bug below us, reported, never hidden."""


ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset of one query.

    Graphs given here replace the query's own FROM / FROM NAMED (SPARQL 1.1 Protocol, 2.1.4).
    With none given, ``union_default_graph`` makes the default graph the union of all graphs.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = False


DEFAULT_DATASET = QueryDataset()


@dataclass(frozen=True)
class ResultFormats:
    """Media types the client accepts, best first: one list per kind of result."""

    solutions: tuple[str, ...]  # SELECT and ASK
    graph: tuple[str, ...]  # CONSTRUCT, DESCRIBE, graph and dataset reads


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    kind: ResultKind


@dataclass(frozen=True)
class StoreStats:
    version: str
    triples: int
    default_graph_triples: int
    graphs: dict[str, int] = field(default_factory=dict)  # named graph IRI -> triples


class Store(Protocol):
    """What the service needs of a store. ``graph=None`` names the default graph."""

    @property
    def version(self) -> str: ...

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None: ...

    def query(
        self,
        sparql: str,
        *,
        formats: ResultFormats,
        dataset: QueryDataset = DEFAULT_DATASET,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer: ...

    def update(self, sparql: str) -> None: ...

    def get_graph(
        self,
        graph: str | None,
        *,
        formats: ResultFormats,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer: ...

    def get_dataset(
        self, *, formats: ResultFormats, timeout: float | None = None, max_bytes: int | None = None
    ) -> Answer: ...

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool: ...

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool: ...

    def delete_graph(self, graph: str | None) -> None: ...

    def named_graphs(self) -> list[str]: ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...


# File extensions `load` reads, by the format they name (RDF/XML also goes by .owl and .xml).
EXTENSION_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "n3": ox.RdfFormat.N3,
}

COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g"


class _CappedWriter(io.BytesIO):
    """A byte sink that stops the serialiser (and so the evaluation) past ``limit`` bytes."""

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Buffer) -> int:
        written = super().write(data)
        if self.limit is not None and self.tell() > self.limit:
            raise ResultTooLarge(f"the result is larger than the limit of {self.limit} bytes; add a LIMIT")
        return written


def file_format(path: Path) -> ox.RdfFormat:
    """The RDF format a file's extension names.

    :raises UnsupportedFormat: for an extension not in ``EXTENSION_FORMATS``.
    """
    fmt = EXTENSION_FORMATS.get(path.suffix.lower().lstrip("."))
    if fmt is None:
        known = ", ".join(sorted(EXTENSION_FORMATS))
        raise UnsupportedFormat(f"{path.name}: unknown RDF file extension (known: {known})")
    return fmt


def content_version(paths: Sequence[Path]) -> str:
    """A version for data that comes without a build manifest: a hash of the files' hashes."""
    digest = hashlib.sha256("\n".join(file_hash(path) for path in paths).encode())
    return digest.hexdigest()[:16]


def _node(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


class OxigraphStore:
    """An in-memory Oxigraph store.

    ``timeout`` is not enforced here: Oxigraph cannot stop a running query in-process.
    ``service.pool.ForkedStore`` wraps this class to enforce it.
    """

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self._store = ox.Store()
        self._prefixes = prefixes  # declared for every query and update, as if in its prologue
        self._version = hashlib.sha256(b"").hexdigest()[:16]
        self._stats: StoreStats | None = None

    @property
    def version(self) -> str:
        return self._version

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None:
        """Add RDF files (format by extension); triples go to the default graph.

        :raises UnsupportedFormat: for an unknown extension (checked before anything is read).
        :raises DataSyntaxError: when a file does not parse.
        """
        formats = [file_format(path) for path in paths]
        for path, fmt in zip(paths, formats, strict=True):
            try:
                self._store.bulk_load(path=str(path), format=fmt)
            except SyntaxError as error:
                raise DataSyntaxError(f"{path.name}: {error}") from None
        self._changed(version or content_version(paths))

    def query(
        self,
        sparql: str,
        *,
        formats: ResultFormats,
        dataset: QueryDataset = DEFAULT_DATASET,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        sink = _CappedWriter(max_bytes)
        try:
            results = self._run(sparql, dataset)
            if isinstance(results, ox.QueryTriples):
                media_type = _pick(formats.graph, ox.RdfFormat.from_media_type, "CONSTRUCT and DESCRIBE")
                results.serialize(sink, ox.RdfFormat.from_media_type(media_type))
                kind: ResultKind = "graph"
            else:
                kind = "boolean" if isinstance(results, ox.QueryBoolean) else "solutions"
                media_type = _pick(formats.solutions, ox.QueryResultsFormat.from_media_type, "SELECT and ASK")
                results.serialize(sink, ox.QueryResultsFormat.from_media_type(media_type))
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, RuntimeError) as error:  # raised while evaluating (pyoxigraph's mapping)
            raise EvaluationError(str(error)) from None
        return Answer(sink.getvalue(), media_type, kind)

    def _run(
        self, sparql: str, dataset: QueryDataset
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        if dataset.default_graphs or dataset.named_graphs:  # the protocol's dataset replaces FROM
            return self._store.query(
                sparql,
                prefixes=self._prefixes,
                default_graph=[ox.NamedNode(iri) for iri in dataset.default_graphs],
                named_graphs=[ox.NamedNode(iri) for iri in dataset.named_graphs],
            )
        return self._store.query(
            sparql, prefixes=self._prefixes, use_default_graph_as_union=dataset.union_default_graph
        )

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=self._prefixes)  # transactional: all or nothing
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, RuntimeError) as error:
            raise EvaluationError(str(error)) from None
        self._changed(hashlib.sha256((self._version + sparql).encode()).hexdigest()[:16])

    def get_graph(
        self,
        graph: str | None,
        *,
        formats: ResultFormats,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        if graph is not None and not self._store.contains_named_graph(ox.NamedNode(graph)):
            raise GraphNotFound(f"no graph named <{graph}>")
        return self._dump(formats.graph, max_bytes, from_graph=_node(graph))

    def get_dataset(
        self, *, formats: ResultFormats, timeout: float | None = None, max_bytes: int | None = None
    ) -> Answer:
        offered = tuple(
            t for t in formats.graph if (f := ox.RdfFormat.from_media_type(t)) and f.supports_datasets
        )
        return self._dump(offered, max_bytes, from_graph=None)

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        return self._write(graph, data, media_type, base_iri, replace=True)

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        return self._write(graph, data, media_type, base_iri, replace=False)

    def delete_graph(self, graph: str | None) -> None:
        if graph is not None and not self._store.contains_named_graph(ox.NamedNode(graph)):
            raise GraphNotFound(f"no graph named <{graph}>")
        self.update("DROP DEFAULT" if graph is None else f"DROP GRAPH {ox.NamedNode(graph)}")

    def named_graphs(self) -> list[str]:
        return sorted(self.stats().graphs)

    def stats(self) -> StoreStats:
        if self._stats is None:
            graphs: dict[str, int] = {}
            default = 0
            rows = self._store.query(COUNT_QUERY)
            assert isinstance(rows, ox.QuerySolutions)
            for row in rows:
                count, name = row["n"], row["g"]
                assert isinstance(count, ox.Literal)
                if name is None:
                    default = int(count.value)
                else:
                    graphs[name.value] = int(count.value)
            self._stats = StoreStats(self._version, default + sum(graphs.values()), default, graphs)
        return self._stats

    def close(self) -> None:
        """Nothing to release: the store lives in memory."""

    def _changed(self, version: str) -> None:
        self._version = version
        self._stats = None

    def _dump(
        self, offered: Sequence[str], max_bytes: int | None, from_graph: ox.NamedNode | ox.DefaultGraph | None
    ) -> Answer:
        what = "a dataset" if from_graph is None else "a graph"
        media_type = _pick(offered, ox.RdfFormat.from_media_type, what)
        sink = _CappedWriter(max_bytes)
        fmt = ox.RdfFormat.from_media_type(media_type)
        self._store.dump(sink, fmt, from_graph=from_graph, prefixes=self._prefixes)
        return Answer(sink.getvalue(), media_type, "graph")

    def _write(
        self, graph: str | None, data: bytes, media_type: str, base_iri: str | None, replace: bool
    ) -> bool:
        """Parse the whole body first, then change the store in one transactional update."""
        try:
            quads = list(
                ox.parse(data, _rdf_format(media_type), base_iri=base_iri, without_named_graphs=True)
            )
        except SyntaxError as error:
            raise DataSyntaxError(str(error)) from None
        node = None if graph is None else ox.NamedNode(graph)
        created = node is not None and not self._store.contains_named_graph(node)
        triples = (ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        target = "DEFAULT" if node is None else f"GRAPH {node}"
        body = triples if node is None else f"GRAPH {node} {{\n{triples}}}"
        clear = f"DROP SILENT {target} ;\n" if replace else ""
        self.update(f"{clear}INSERT DATA {{\n{body}}}")
        if node is not None and created and not quads:  # an empty PUT still creates the graph
            self._store.add_graph(node)
        return created


def _pick(offered: Sequence[str], parse: Callable[[str], object], what: str) -> str:
    """The first offered media type ``parse`` (a ``from_media_type``) knows."""
    for media_type in offered:
        if parse(media_type) is not None:
            return media_type
    raise NotAcceptable(f"none of the acceptable media types can represent {what}")


def _rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise UnsupportedFormat(f"cannot read RDF sent as {media_type!r}")
    return fmt


def read_manifest_version(out: Path) -> str | None:
    """The dataset version a build's manifest.json names, if the build wrote a readable one."""
    try:
        return Manifest.from_json((out / MANIFEST).read_text(encoding="utf-8")).version
    except (OSError, ValueError):
        return None


def build_files(out: Path) -> list[Path]:
    """The dataset file of a build folder: N-Quads (fastest to parse), else TriG."""
    return next(([out / name] for name in (NQUADS, TRIG) if (out / name).is_file()), [])


def open_store(out: Path | None = None, data: Sequence[Path] = ()) -> OxigraphStore:
    """An in-memory store holding a build's dataset and/or extra RDF files; queries may use the
    project's prefixes (``ontology.namespaces.PREFIXES``) without declaring them.

    :raises FileNotFoundError: when a named file is missing, or ``out`` holds no dataset.
    :raises UnsupportedFormat, DataSyntaxError: as ``OxigraphStore.load``.
    """
    paths = build_files(out) if out is not None else []
    if out is not None and not paths:
        raise FileNotFoundError(f"{out} holds no dataset.nq or dataset.trig: run `rlskg build --out {out}`")
    for path in data:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    store = OxigraphStore(PREFIXES)
    version = read_manifest_version(out) if out is not None and not data else None
    store.load([*paths, *data], version=version)
    return store
