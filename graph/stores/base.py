"""The store interface the service talks to: the ``Store`` protocol, its errors and value types.

The service never learns which store it has. It sends SPARQL text, the dataset to query, the media
types the client accepts, a time limit and a size limit; it gets back bytes already serialised and
their media type. Errors are the classes below, never HTTP ones: ``service/errors.py`` maps them.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import pyoxigraph as ox

from rlskg.graph.manifest import file_hash

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


class ForeignData(StoreError):
    """An on-disk store holds data that rlskg did not load: it will not replace it."""


class StoreUnavailable(StoreError):
    """The store cannot take the request now (every evaluator busy, shutting down, remote down)."""


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

    def __reduce__(self) -> tuple[type[QueryDataset], tuple[tuple[str, ...], tuple[str, ...], bool]]:
        # Sent with every query to an evaluator: the default reduction costs ten times more.
        return QueryDataset, (self.default_graphs, self.named_graphs, self.union_default_graph)


DEFAULT_DATASET = QueryDataset()


@dataclass(frozen=True)
class ResultFormats:
    """Media types the client accepts, best first: one list per kind of result."""

    solutions: tuple[str, ...]  # SELECT and ASK
    graph: tuple[str, ...]  # CONSTRUCT, DESCRIBE, graph and dataset reads

    def __reduce__(self) -> tuple[type[ResultFormats], tuple[tuple[str, ...], tuple[str, ...]]]:
        return ResultFormats, (self.solutions, self.graph)  # as QueryDataset.__reduce__


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

    @classmethod
    def of(cls, version: str, default_graph_triples: int, graphs: dict[str, int]) -> StoreStats:
        """The stats of a store whose default graph and named graphs hold these many triples."""
        return cls(version, default_graph_triples + sum(graphs.values()), default_graph_triples, graphs)


@dataclass(frozen=True)
class Isolation:
    """How reads of a store may run in child processes that a time limit can kill.

    ``fork``: children forked after the load share the in-memory data copy-on-write.
    ``reopen``: children start afresh (fork + exec) and open ``spec`` read-only: a forked RocksDB
    handle is not safe to use. ``snapshot``: as ``reopen``, but the store is written to meanwhile,
    and a reader beside a writer is undefined in RocksDB: ``checkpoint(folder)`` writes a
    read-only copy of the data as it is now (hard links: milliseconds), which children open.
    ``inline``: no children; the store bounds its own waits.
    """

    mode: Literal["fork", "reopen", "snapshot", "inline"]
    spec: str = ""
    checkpoint: Callable[[Path], None] | None = field(default=None, compare=False)


class Store(Protocol):
    """What the service needs of a store. ``graph=None`` names the default graph; ``base_iri`` is
    what relative IRIs in a query or update resolve against when it declares no BASE."""

    @property
    def version(self) -> str: ...

    @property
    def isolation(self) -> Isolation: ...

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None: ...

    def query(
        self,
        sparql: str,
        *,
        formats: ResultFormats,
        dataset: QueryDataset = DEFAULT_DATASET,
        timeout: float | None = None,
        max_bytes: int | None = None,
        base_iri: str | None = None,
    ) -> Answer: ...

    def update(self, sparql: str, *, timeout: float | None = None, base_iri: str | None = None) -> None: ...

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
EMPTY_VERSION = hashlib.sha256(b"").hexdigest()[:16]


def counted_stats(version: str, rows: ox.QuerySolutions) -> StoreStats:
    """StoreStats from the rows of COUNT_QUERY (an unbound ?g is the default graph)."""
    graphs: dict[str, int] = {}
    default = 0
    for row in rows:
        count, name = row["n"], row["g"]
        assert isinstance(count, ox.Literal)
        if name is None:
            default = int(count.value)
        else:
            graphs[name.value] = int(count.value)
    return StoreStats.of(version, default, graphs)


class CappedWriter(io.BytesIO):
    """A byte sink that stops the serialiser (and so the evaluation) past ``limit`` bytes."""

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Buffer) -> int:
        written = super().write(data)
        if self.limit is not None and self.tell() > self.limit:
            raise too_large(self.limit)
        return written


def too_large(limit: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result is larger than the limit of {limit} bytes; add a LIMIT")


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


def next_version(version: str, change: str) -> str:
    """The version after a change (an update's text, a write's target)."""
    return hashlib.sha256((version + change).encode()).hexdigest()[:16]


def pick(offered: Sequence[str], parse: Callable[[str], object], what: str) -> str:
    """The first offered media type ``parse`` (a ``from_media_type``) knows."""
    for media_type in offered:
        if parse(media_type) is not None:
            return media_type
    raise NotAcceptable(f"none of the acceptable media types can represent {what}")


def rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise UnsupportedFormat(f"cannot read RDF sent as {media_type!r}")
    return fmt


def dataset_formats(formats: ResultFormats) -> tuple[str, ...]:
    """The offered graph media types that can carry a whole dataset (TriG, N-Quads, JSON-LD)."""
    return tuple(t for t in formats.graph if (f := ox.RdfFormat.from_media_type(t)) and f.supports_datasets)


def parse_triples(
    data: bytes, media_type: str, base_iri: str | None, *, rename_blank_nodes: bool = False
) -> list[ox.Quad]:
    """A request body's triples (named graphs in it are refused), parsed in full; with
    ``rename_blank_nodes``, its blank nodes get fresh labels (to merge several bodies).

    :raises UnsupportedFormat, DataSyntaxError:
    """
    try:
        parsed = ox.parse(
            data,
            rdf_format(media_type),
            base_iri=base_iri,
            without_named_graphs=True,
            rename_blank_nodes=rename_blank_nodes,
        )
        return list(parsed)
    except SyntaxError as error:
        raise DataSyntaxError(str(error)) from None


def write_update(graph: str | None, quads: Sequence[ox.Quad], replace: bool) -> str:
    """The SPARQL Update that puts (``replace``) or posts ``quads`` into a graph: one transaction."""
    node = None if graph is None else ox.NamedNode(graph)
    triples = (ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    target = "DEFAULT" if node is None else f"GRAPH {node}"
    body = triples if node is None else f"GRAPH {node} {{\n{triples}}}"
    clear = f"DROP SILENT {target} ;\n" if replace else ""
    return f"{clear}INSERT DATA {{\n{body}}}"
