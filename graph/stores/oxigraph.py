"""Embedded Oxigraph: in memory (the default), or on disk in RocksDB (``oxigraph:PATH``).

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

import itertools
import json
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from rlskg.graph.stores.base import (
    COUNT_QUERY,
    DEFAULT_DATASET,
    EMPTY_VERSION,
    Answer,
    CappedWriter,
    DataSyntaxError,
    EvaluationError,
    ForeignData,
    GraphNotFound,
    Isolation,
    QueryDataset,
    QuerySyntaxError,
    ResultFormats,
    ResultKind,
    StoreStats,
    content_version,
    counted_stats,
    dataset_formats,
    file_format,
    next_version,
    parse_triples,
    pick,
    write_update,
)
from rlskg.graph.stores.lookup import lookup_pattern

# Beside RocksDB's own files: which build was loaded, and the version after later updates.
STATE_FILE = "rlskg-state.json"
# The triples per graph of one version, counted at load (read_counts). A file of its own: it grows
# with the graphs (0.7 MB for 14,596 of them), and every process that opens the store reads the state.
COUNTS_FILE = "rlskg-counts.json"


def read_state(path: Path) -> tuple[str | None, str]:
    """(version loaded last, version now) of the on-disk store at ``path``, without opening it."""
    try:
        state = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
        return str(state["loaded"]), str(state["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, EMPTY_VERSION


def read_counts(path: Path, version: str) -> StoreStats | None:
    """The triple counts COUNTS_FILE keeps for ``version`` (counted when it was loaded), if any:
    counting reads every quad, 20 s at 10^7 triples, and every process that opens the store
    would otherwise pay it again for the same data."""
    try:
        counts = json.loads((path / COUNTS_FILE).read_text(encoding="utf-8"))
        if counts["version"] != version:
            return None
        graphs = {str(name): int(n) for name, n in counts["graphs"].items()}
        return StoreStats.of(version, int(counts["default"]), graphs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _node(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


class OxigraphStore:
    """An Oxigraph store, in memory or (``path``) on disk.

    ``timeout`` is not enforced here: Oxigraph cannot stop a running query in-process.
    ``graph.stores.forked.ForkedStore`` runs reads in killable children to enforce it (``isolation``
    says how: forked, reopened read-only, or from checkpoints when the store is written to).

    On disk, ``load`` is idempotent: the files are loaded (replacing what the store held) only when
    their version differs from the one loaded last; updates made since survive restarts.
    """

    def __init__(
        self, prefixes: dict[str, str] | None = None, *, path: Path | None = None, read_only: bool = False
    ) -> None:
        self._path = path
        self._read_only = read_only
        if path is None:
            self._store = ox.Store()
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        self._prefixes = prefixes  # declared for every query and update, as if in its prologue
        self._loaded, self._version = self._read_state()
        self._stats: StoreStats | None = None
        self._write_lock = threading.Lock()

    @property
    def version(self) -> str:
        return self._version

    @property
    def isolation(self) -> Isolation:
        if self._path is None:
            return Isolation("fork")
        if self._read_only:
            return Isolation("reopen", f"oxigraph:{self._path}")
        # A reader beside a writer is undefined behaviour in RocksDB: readers open checkpoints.
        return Isolation("snapshot", f"oxigraph:{self._path}", checkpoint=self.checkpoint)

    def checkpoint(self, folder: Path) -> None:
        """Write a read-only copy of the on-disk data as it is now into ``folder`` (which must not
        exist; its parent must): RocksDB hard-links its immutable files, so it takes milliseconds."""
        if self._path is None:
            raise ValueError("an in-memory store has no checkpoint")
        self._store.backup(str(folder))

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None:
        """Add RDF files (format by extension); triples go to the default graph. On disk, replace
        the content instead, and only when ``version`` differs from the one loaded last.

        :raises UnsupportedFormat: for an unknown extension (checked before anything is read).
        :raises DataSyntaxError: when a file does not parse.
        """
        formats = [file_format(path) for path in paths]
        version = version or content_version(paths)
        counts = None
        if self._path is not None:
            if version == self._loaded:
                return
            if next(self._store.quads_for_pattern(None, None, None, None), None) is not None:
                if self._loaded is None:  # another program's database, or our state file lost
                    raise ForeignData(
                        f"{self._path} holds data that rlskg did not load; refusing to replace it. "
                        "Serve that database with `oxigraph serve` and `--store sparql:URL`, "
                        "or give an empty folder"
                    )
                # Only when there is something to clear: files bulk-loaded after a clear land in
                # RocksDB's level 0 and every read pays for it (a 1e6-triple query 20 % slower).
                self._store.clear()
        for path, fmt in zip(paths, formats, strict=True):
            try:
                self._store.bulk_load(path=str(path), format=fmt)
            except SyntaxError as error:
                raise DataSyntaxError(f"{path.name}: {error}") from None
        if self._path is not None:
            self._store.flush()
            # Compact now rather than on the first reads: 20-30 % faster queries for 2 s per 1e6 triples.
            self._store.optimize()
            self._loaded = self._version = version
            counts = self._count()  # once, kept in COUNTS_FILE (read_counts)
        self._changed(version, counts)

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
        sink = CappedWriter(max_bytes)
        try:
            results = self._run(sparql, dataset, base_iri)
            if isinstance(results, ox.QueryTriples):
                media_type = pick(formats.graph, ox.RdfFormat.from_media_type, "CONSTRUCT and DESCRIBE")
                results.serialize(sink, ox.RdfFormat.from_media_type(media_type))
                kind: ResultKind = "graph"
            else:
                kind = "boolean" if isinstance(results, ox.QueryBoolean) else "solutions"
                media_type = pick(formats.solutions, ox.QueryResultsFormat.from_media_type, "SELECT and ASK")
                results.serialize(sink, ox.QueryResultsFormat.from_media_type(media_type))
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, RuntimeError) as error:  # raised while evaluating (pyoxigraph's mapping)
            raise EvaluationError(str(error)) from None
        return Answer(sink.getvalue(), media_type, kind)

    def is_small_lookup(self, sparql: str, most: int) -> bool:
        """Whether ``sparql`` is a lookup (``graph.stores.lookup``) whose pattern at most ``most``
        quads of this store match, in any graph: then its work is bounded by reading them."""
        pattern = lookup_pattern(sparql, self._prefixes)
        if pattern is None:
            return False
        try:
            subject, predicate, object_ = (None if iri is None else ox.NamedNode(iri) for iri in pattern)
        except ValueError:  # not an IRI Oxigraph accepts: its parser will say so, in an evaluator
            return False
        matching = self._store.quads_for_pattern(subject, predicate, object_, None)
        return next(itertools.islice(matching, most, None), None) is None

    def _used_prefixes(self, sparql: str) -> dict[str, str] | None:
        """The declared prefixes ``sparql`` can use (its text has ``name:``): the others change
        nothing, and handing all 26 to the parser cost a third of a label lookup's time."""
        if self._prefixes is None:
            return None
        return {name: iri for name, iri in self._prefixes.items() if f"{name}:" in sparql}

    def _run(
        self, sparql: str, dataset: QueryDataset, base_iri: str | None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        prefixes = self._used_prefixes(sparql)
        if dataset.default_graphs or dataset.named_graphs:  # the protocol's dataset replaces FROM
            return self._store.query(
                sparql,
                base_iri=base_iri,
                prefixes=prefixes,
                default_graph=[ox.NamedNode(iri) for iri in dataset.default_graphs],
                named_graphs=[ox.NamedNode(iri) for iri in dataset.named_graphs],
            )
        return self._store.query(
            sparql,
            base_iri=base_iri,
            prefixes=prefixes,
            use_default_graph_as_union=dataset.union_default_graph,
        )

    def update(self, sparql: str, *, timeout: float | None = None, base_iri: str | None = None) -> None:
        with self._write_lock:  # one writer at a time: concurrent read-modify-writes lost updates
            self._update(sparql, base_iri)

    def _update(self, sparql: str, base_iri: str | None = None) -> None:
        try:  # transactional: all or nothing
            self._store.update(sparql, base_iri=base_iri, prefixes=self._prefixes)
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, RuntimeError) as error:
            raise EvaluationError(str(error)) from None
        self._changed(next_version(self._version, sparql))

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
        return self._dump(dataset_formats(formats), max_bytes, from_graph=None)

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        return self._write(graph, data, media_type, base_iri, replace=True)

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        return self._write(graph, data, media_type, base_iri, replace=False)

    def delete_graph(self, graph: str | None) -> None:
        with self._write_lock:
            if graph is not None and not self._store.contains_named_graph(ox.NamedNode(graph)):
                raise GraphNotFound(f"no graph named <{graph}>")
            self._update("DROP DEFAULT" if graph is None else f"DROP GRAPH {ox.NamedNode(graph)}")

    def named_graphs(self) -> list[str]:
        return sorted(self.stats().graphs)

    def stats(self) -> StoreStats:
        if self._stats is None:
            saved = None if self._path is None else read_counts(self._path, self._version)
            self._stats = saved or self._count()
        return self._stats

    def _count(self) -> StoreStats:
        rows = self._store.query(COUNT_QUERY)
        assert isinstance(rows, ox.QuerySolutions)
        return counted_stats(self._version, rows)

    def close(self) -> None:
        """Flush an on-disk store; RocksDB closes when the last reference goes."""
        if self._path is not None and not self._read_only:
            self._store.flush()

    def _read_state(self) -> tuple[str | None, str]:
        return (None, EMPTY_VERSION) if self._path is None else read_state(self._path)

    def _changed(self, version: str, counts: StoreStats | None = None) -> None:
        """Record ``version`` (and its ``counts``, when known) as what the store holds now."""
        self._version = version
        self._stats = counts
        # Written after the data: a crash in between costs a reload, never a stale version. Counts
        # name their version, so those of an earlier one are never read as the current ones.
        if self._path is not None and not self._read_only:
            if counts is not None:
                saved = {"version": version, "default": counts.default_graph_triples, "graphs": counts.graphs}
                self._replace(COUNTS_FILE, json.dumps(saved))
            self._replace(STATE_FILE, json.dumps({"loaded": self._loaded, "version": version}))

    def _replace(self, name: str, text: str) -> None:
        """Write the file ``name`` beside the data at once. A temporary file of its own for each
        writer: concurrent writers must not rename each other's (one write answered 500 after it
        was committed, that way)."""
        assert self._path is not None
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=self._path, prefix=f".{name}.", delete=False
        ) as temporary:
            temporary.write(text)
        Path(temporary.name).replace(self._path / name)

    def _dump(
        self, offered: Sequence[str], max_bytes: int | None, from_graph: ox.NamedNode | ox.DefaultGraph | None
    ) -> Answer:
        what = "a dataset" if from_graph is None else "a graph"
        media_type = pick(offered, ox.RdfFormat.from_media_type, what)
        sink = CappedWriter(max_bytes)
        fmt = ox.RdfFormat.from_media_type(media_type)
        self._store.dump(sink, fmt, from_graph=from_graph, prefixes=self._prefixes)
        return Answer(sink.getvalue(), media_type, "graph")

    def _write(
        self, graph: str | None, data: bytes, media_type: str, base_iri: str | None, replace: bool
    ) -> bool:
        """Parse the whole body first, then change the store in one transactional update."""
        quads = parse_triples(data, media_type, base_iri)
        node = None if graph is None else ox.NamedNode(graph)
        with self._write_lock:
            created = node is not None and not self._store.contains_named_graph(node)
            self._update(write_update(graph, quads, replace))
            if node is not None and created and not quads:  # an empty PUT still creates the graph
                self._store.add_graph(node)
        return created
