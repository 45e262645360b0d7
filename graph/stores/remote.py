"""A remote SPARQL 1.1 store over HTTP (``--store sparql:QUERY_URL[,UPDATE_URL]``).

The service keeps no state: every read is forwarded with the client's dataset and the negotiated
media types, every write becomes a SPARQL Update. Union default graph semantics (what the embedded
store gives a query without FROM) are kept per remote, told by its ``Server`` header: Oxigraph gets
``union-default-graph``; Virtuoso's default graph already is the union of every graph its SPARQL
user may read (make its system graphs private: see the README), and it keeps no triples outside
named graphs, so its own default graph reads as empty; any other store gets every named graph as
``default-graph-uri`` and ``named-graph-uri`` (portable, but the store's own default graph is then
left out). Time limits: the service waits no longer than the limit and hangs up; the remote stops
its own work only under its own limit (``oxigraph serve --timeout-s``, Virtuoso
``MaxQueryExecutionTime``, Fuseki ``arq:queryTimeout``). A remote that is down gives
``StoreUnavailable`` (503) and the next request tries again.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from rlskg.graph.stores import http
from rlskg.graph.stores.auth import RemoteAccess
from rlskg.graph.stores.base import (
    COUNT_QUERY,
    DEFAULT_DATASET,
    Answer,
    EvaluationError,
    GraphNotFound,
    Isolation,
    NotAcceptable,
    QueryDataset,
    QuerySyntaxError,
    QueryTimeout,
    ResultFormats,
    ResultKind,
    StoreStats,
    StoreUnavailable,
    UnsupportedFormat,
    counted_stats,
    dataset_formats,
    parse_triples,
    pick,
    too_large,
    write_update,
)

VERSION_TTL = 10.0  # seconds an ETag stays valid: others may write to the remote meanwhile
STATS_TTL = 30.0
CONTROL_TIMEOUT = 30.0  # seconds, for requests the client did not time (counts, probes)
JSON = "application/sparql-results+json"
DATASET_QUERY = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
# Where the default graph is the union of the named graphs, these count and read each triple once.
NAMED_DATASET_QUERY = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
NAMED_COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
# Remotes whose default graph (no dataset given) is the union of their graphs, by Server header.
UNION_DEFAULT_SERVERS = ("Virtuoso",)
# HTTP status of the remote -> what to raise (5xx other than 500: the remote is not serving).
STATUS_ERRORS: dict[int, type[Exception]] = {
    400: QuerySyntaxError,
    404: GraphNotFound,
    406: NotAcceptable,
    415: UnsupportedFormat,
    500: EvaluationError,
}


def accept_header(offered: Sequence[Sequence[str]]) -> str:
    """An Accept header listing each kind's media types, best first within each kind.

    >>> accept_header([("text/csv", "application/json"), ("text/turtle",)])
    'text/csv, application/json;q=0.9, text/turtle'
    """
    parts = []
    for types in offered:
        for rank, media_type in enumerate(types):
            parts.append(media_type if rank == 0 else f"{media_type};q={max(1.0 - rank / 10, 0.1):.1f}")
    return ", ".join(parts)


def _raise_for(reply: http.Reply, url: str, prologue_lines: int = 0) -> None:
    """Raise the StoreError for an error reply; its message's line numbers are the user's, not
    those of the text sent (``prologue_lines`` longer)."""
    if reply.status < 300:
        return
    message = _unshift(reply.text(), prologue_lines) or f"HTTP {reply.status}"
    if reply.status == 500 and "timeout" in message.lower():
        raise QueryTimeout(f"the remote store stopped the query at its time limit: {message}")
    error = STATUS_ERRORS.get(reply.status, StoreUnavailable)
    raise error(f"the remote store answered {reply.status}: {message}")


# Where servers say a position: Oxigraph "error at 27:26", Jena "line 27, column 26", Virtuoso "line 27:".
_POSITION = re.compile(r"(?<=\bat )(\d+)(?=:\d)|(?<=\b[Ll]ine )(\d+)")


def _unshift(message: str, lines: int) -> str:
    """``message`` with the line numbers of positions moved ``lines`` up.

    >>> _unshift("error at 2:26: expected one of LATERAL, SERVICE, [_]", 1)
    'error at 1:26: expected one of LATERAL, SERVICE, [_]'
    >>> _unshift("Encountered '}' at line 2, column 9.", 1)
    "Encountered '}' at line 1, column 9."
    """
    if not lines:
        return message
    return _POSITION.sub(lambda m: str(max(int(m.group()) - lines, 1)), message)


def _kind(media_type: str, body: bytes) -> ResultKind:
    if ox.RdfFormat.from_media_type(media_type) is not None:
        return "graph"
    head = body[:200].lstrip()
    boolean = b'"boolean"' in head or b"<boolean>" in head or head in (b"true", b"false")
    return "boolean" if boolean else "solutions"


class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint (and optionally an Update endpoint) behind ``Store``."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        prefixes: dict[str, str] | None = None,
        *,
        access: RemoteAccess | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self._access = access or RemoteAccess()
        self._prefixes = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in (prefixes or {}).items())
        self._server: str | None = None  # the remote's Server header, once seen
        self._writes = 0
        self._stats: tuple[float, StoreStats] | None = None

    @property
    def version(self) -> str:
        bucket = int(time.time() // VERSION_TTL)
        return hashlib.sha256(f"{self.query_url} {bucket} {self._writes}".encode()).hexdigest()[:16]

    @property
    def isolation(self) -> Isolation:
        return Isolation("inline")  # nothing to kill here: we hang up, the remote has its own limit

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None:
        raise EvaluationError("a remote store is loaded with `rlskg publish --to URL`, not by the service")

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
        text, lines = self._with_prologue(sparql, base_iri)
        params = [("query", text), *self._dataset_params(dataset)]
        reply = self._post(
            params, accept_header([formats.solutions, formats.graph]), timeout, max_bytes, lines
        )
        media_type = reply.media_type
        if media_type not in (*formats.solutions, *formats.graph):
            shown = media_type or "no media type"
            raise NotAcceptable(f"the remote store answered {shown}, not a media type asked for")
        return Answer(reply.body, media_type, _kind(media_type, reply.body))

    def _with_prologue(self, sparql: str, base_iri: str | None) -> tuple[str, int]:
        """``sparql`` after the base IRI and the service's prefixes, all on one line of their own
        (a prologue may repeat a prefix: the text's own declarations win), and how many lines
        that adds."""
        prologue = " ".join(filter(None, (f"BASE <{base_iri}>" if base_iri else "", self._prefixes)))
        return (f"{prologue}\n{sparql}", 1) if prologue else (sparql, 0)

    def _post(
        self,
        params: list[tuple[str, str]],
        accept: str,
        timeout: float | None,
        max_bytes: int | None,
        prologue_lines: int = 0,
    ) -> http.Reply:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        body = urlencode(params).encode()
        reply = self._request(self.query_url, body, headers, timeout, max_bytes)
        self._server = reply.headers.get("server", "")
        _raise_for(reply, self.query_url, prologue_lines)
        return reply

    def _request(
        self, url: str, body: bytes, headers: dict[str, str], timeout: float | None, max_bytes: int | None
    ) -> http.Reply:
        """One POST, with our token, answering a challenge with our credentials."""
        return http.request(
            "POST",
            url,
            body=body,
            headers={**headers, **self._access.headers()},
            timeout=timeout,
            max_bytes=max_bytes,
            auth=self._access.credentials,
        )

    def _dataset_params(self, dataset: QueryDataset) -> list[tuple[str, str]]:
        if dataset.default_graphs or dataset.named_graphs:
            return [("default-graph-uri", g) for g in dataset.default_graphs] + [
                ("named-graph-uri", g) for g in dataset.named_graphs
            ]
        if not dataset.union_default_graph or self._default_is_union():
            return []
        if self._server_name().startswith("Oxigraph"):
            return [("union-default-graph", "true")]
        graphs = self.named_graphs()
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    def _server_name(self) -> str:
        if self._server is None:
            self._post([("query", "ASK {}")], JSON, CONTROL_TIMEOUT, None)
        return self._server or ""

    def _default_is_union(self) -> bool:
        """Whether a query without a dataset sees every graph, the remote having no default graph
        of its own (Virtuoso); its default graph is then read as empty."""
        return self._server_name().startswith(UNION_DEFAULT_SERVERS)

    def _dataset_query(self) -> str:
        return NAMED_DATASET_QUERY if self._default_is_union() else DATASET_QUERY

    def _select(self, sparql: str, dataset: QueryDataset = DEFAULT_DATASET) -> ox.QuerySolutions:
        reply = self._post([("query", sparql), *self._dataset_params(dataset)], JSON, CONTROL_TIMEOUT, None)
        results = ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON)
        assert isinstance(results, ox.QuerySolutions)
        return results

    def update(self, sparql: str, *, timeout: float | None = None, base_iri: str | None = None) -> None:
        if self.update_url is None:
            raise EvaluationError("this remote store is read-only: give its update URL after a comma")
        headers = {"Content-Type": "application/sparql-update"}
        text, lines = self._with_prologue(sparql, base_iri)
        reply = self._request(self.update_url, text.encode(), headers, CONTROL_TIMEOUT, None)
        _raise_for(reply, self.update_url, lines)
        self._writes += 1
        self._stats = None

    def get_graph(
        self,
        graph: str | None,
        *,
        formats: ResultFormats,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        media_type = pick(formats.graph, ox.RdfFormat.from_media_type, "a graph")
        if graph is not None and not self._has_graph(graph):
            raise GraphNotFound(f"no graph named <{graph}>")
        if graph is None and self._default_is_union():
            body = ox.serialize([], format=ox.RdfFormat.from_media_type(media_type)) or b""
            return Answer(body, media_type, "graph")
        where = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"
        reply = self._post([("query", sparql)], accept_header([formats.graph]), timeout, max_bytes)
        return Answer(reply.body, reply.media_type, "graph")

    def get_dataset(
        self, *, formats: ResultFormats, timeout: float | None = None, max_bytes: int | None = None
    ) -> Answer:
        """Every quad, read as solutions (a quad format is not a query result) and written here."""
        media_type = pick(dataset_formats(formats), ox.RdfFormat.from_media_type, "a dataset")
        reply = self._post([("query", self._dataset_query())], JSON, timeout, max_bytes)
        rows = ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON)
        assert isinstance(rows, ox.QuerySolutions)
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"] or ox.DefaultGraph()) for r in rows]
        body = ox.serialize(quads, format=ox.RdfFormat.from_media_type(media_type)) or b""
        if max_bytes is not None and len(body) > max_bytes:
            raise too_large(max_bytes)
        return Answer(body, media_type, "graph")

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        quads = parse_triples(data, media_type, base_iri)
        created = graph is not None and not self._has_graph(graph)
        self.update(write_update(graph, quads, replace=True))
        return created

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        quads = parse_triples(data, media_type, base_iri)
        created = graph is not None and not self._has_graph(graph)
        self.update(write_update(graph, quads, replace=False))
        return created

    def delete_graph(self, graph: str | None) -> None:
        if graph is not None and not self._has_graph(graph):
            raise GraphNotFound(f"no graph named <{graph}>")
        # SILENT: it exists (asked above), but Virtuoso drops only graphs made with CREATE GRAPH.
        self.update("DROP DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>")

    def _has_graph(self, graph: str) -> bool:
        # A SELECT, not an ASK: Virtuoso 7.2 answers ASK with a table (column __ASK_RETVAL).
        sparql = f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"
        reply = self._post([("query", sparql)], JSON, CONTROL_TIMEOUT, None)
        rows = ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON)
        return isinstance(rows, ox.QuerySolutions) and next(iter(rows), None) is not None

    def named_graphs(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in rows if row["g"] is not None)

    def stats(self) -> StoreStats:
        """Triples per graph, counted by the remote at most every STATS_TTL seconds."""
        now = time.monotonic()
        if self._stats is None or now - self._stats[0] > STATS_TTL:
            rows = self._select(NAMED_COUNT_QUERY if self._default_is_union() else COUNT_QUERY)
            self._stats = (now, counted_stats(self.version, rows))
        return self._stats[1]

    def close(self) -> None:
        """Nothing held open: each request has its own connection."""
