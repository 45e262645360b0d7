"""Publish a build into a remote store over the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is sent with one PUT (``?graph=IRI``; the default graph, if any, to ``?default``)
as N-Triples, so publishing twice leaves the remote as publishing once. Graphs the remote holds
that the build does not are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from rlskg.graph.stores import StoreError, build_files, file_format, read_manifest_version
from rlskg.graph.stores.auth import Credentials
from rlskg.graph.stores.http import request

PUT_TIMEOUT = 600.0  # seconds per graph: a large graph on a slow remote


class PublishError(Exception):
    """The build cannot be read, or the remote cannot be reached or refuses a graph."""


@dataclass(frozen=True)
class Published:
    version: str | None
    graphs: dict[str, int]  # graph IRI ("" for the default graph) -> triples sent

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def read_graphs(out: Path) -> dict[str, list[ox.Triple]]:
    """The build's triples by graph IRI ("" for the default graph), in file order.

    :raises PublishError: no dataset in ``out``, or it does not parse.
    """
    files = build_files(out)
    if not files:
        raise PublishError(f"{out} holds no dataset.nq or dataset.trig: run `rlskg build --out {out}`")
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(files[0]), format=file_format(files[0])):
            name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs.setdefault(name, []).append(quad.triple)
    except (SyntaxError, OSError) as error:
        raise PublishError(f"{files[0]}: {error}") from None
    return graphs


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol address of one graph.

    >>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/rlskg/graph/nhs")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Frlskg%2Fgraph%2Fnhs'
    """
    separator = "&" if "?" in endpoint else "?"
    return (
        f"{endpoint}{separator}default"
        if not graph
        else f"{endpoint}{separator}graph={quote(graph, safe='')}"
    )


def publish(
    out: Path,
    endpoint: str,
    *,
    token: str | None = None,
    auth: Credentials | None = None,
    progress: Callable[[str], None] | None = None,
) -> Published:
    """PUT every graph of the build in ``out`` to the Graph Store endpoint ``endpoint``.

    :raises PublishError: naming the graph and what the remote said, or why it cannot be reached.
    """
    sent = send_graphs(read_graphs(out), endpoint, token=token, auth=auth, progress=progress)
    return Published(read_manifest_version(out), sent)


def send_graphs(
    graphs: dict[str, list[ox.Triple]],
    endpoint: str,
    *,
    token: str | None = None,
    auth: Credentials | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """PUT each graph; the triples sent, by graph. ``token`` is sent as a bearer token; ``auth``
    answers a remote that asks for a user and password (Basic or Digest).

    :raises PublishError:
    """
    headers = {"Content-Type": "application/n-triples"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    sent: dict[str, int] = {}
    for name, triples in graphs.items():
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        try:
            reply = request(
                "PUT", graph_url(endpoint, name), body=body, headers=headers, timeout=PUT_TIMEOUT, auth=auth
            )
        except StoreError as error:
            raise PublishError(str(error)) from None
        shown = f"<{name}>" if name else "the default graph"
        if reply.status >= 300:
            raise PublishError(f"{endpoint} refused {shown} with HTTP {reply.status}: {reply.text(300)}")
        sent[name] = len(triples)
        if progress is not None:
            progress(f"{shown}: {len(triples)} triples")
    return sent
