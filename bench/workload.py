"""The request mix of workload_bench.py: requests the response cache cannot flatter.

Four shapes, each a seeded sequence of requests that every server is sent in the same order:

  lookup  a label lookup of one term, `SELECT ?label WHERE { <IRI> rdfs:label ?label }`, the IRI
          drawn Zipf-distributed over every subject IRI of the dataset with an rdfs:label
  page    the document of one resource, the IRI drawn Zipf-distributed over those of the same IRIs
          that have a document (`/doc/<path>`, service/pages/document.py): rlskg is sent
          `GET /doc/<path>` with `Accept: text/turtle`; a peer, which has no pages, the query the
          document runs (service/pages/queries/resource-describe.rq with ?this bound to the IRI)
  cq      the competency questions (graph/competency/*.rq), in a new seeded random order each round
  mix     each request one of the three, drawn by weight (70 % lookup, 20 % page, 10 % cq)

Zipf: the IRIs are ranked in a seeded random order and the one of rank k is drawn with probability
proportional to 1/k^s (s = 1.1), each draw independent of the others, so a request repeats an
earlier one only as often as the law says: the cache can answer genuine repeats only.

What wrk reads (bench/workload.lua), per server: a table of the distinct requests, one per line
(method, path with its urlencoded query, Accept, then the server's own headers, tab-separated), and
an order file, one line per request to send: which line of the table. A page query for a peer is
4 kB, and a cell sends up to hundreds of thousands of requests: the order file keeps them one
integer each. Every server's table has the same lines in the same order (addressed to it), so the
same order file sends every server the same requests.

    python bench/workload.py [--shape mix] [--count 20] [--server rlskg|oxigraph-disk|bare-flask]

prints the first requests of a shape, as a server would be sent them.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/workload.py`
    sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from rlskg.graph.competency import load_questions  # noqa: E402
from rlskg.ontology.namespaces import BASE  # noqa: E402
from rlskg.service.pages.describe import bind, iri_for, is_ontology, load_query  # noqa: E402

SHAPES = ("lookup", "page", "cq", "mix")
PARTS = ("lookup", "page", "cq")  # what a mix is made of
MIX = {"lookup": 0.7, "page": 0.2, "cq": 0.1}
ZIPF = 1.1
SEED = 15
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
# The warm-up asks the same queries with another Accept: the response cache keys on Accept, so a
# warm-up never puts a timed request's answer in rlskg's cache.
WARM_ACCEPT = {
    "lookup": "application/sparql-results+xml",
    "page": "application/n-triples",
    "cq": "application/sparql-results+xml",
}
SUBJECTS = ("rlskg", "rlskg-fresh")  # the servers that have /doc/ pages
DOC_TRIPLES = 2  # what a document adds to its CONSTRUCT: foaf:primaryTopic and void:inDataset


def lookup_query(iri: str) -> str:
    return f"SELECT ?label WHERE {{ <{iri}> <{RDFS_LABEL}> ?label }}"


def compact(sparql: str) -> str:
    """The query without its comment lines and indentation (a shorter URL, the same query)."""
    lines = (line.strip() for line in sparql.splitlines())
    return re.sub(r"\s+", " ", " ".join(line for line in lines if line and not line.startswith("#")))


def page_query(iri: str) -> str:
    """The CONSTRUCT the document of ``iri`` runs (document.py, ``_resource``), as a peer is sent it."""
    return compact(bind(load_query("resource-describe"), iri))


def doc_path(iri: str) -> str | None:
    """Where rlskg serves the document of ``iri`` (``/doc/<path>``), None if it has none (a
    foreign IRI; the ontology IRI, whose document is its release, not a description)."""
    if not iri.startswith(BASE) or is_ontology(iri):
        return None
    path = iri[len(BASE) :]
    return "/doc/" + path if iri_for(path) is not None else None


def labelled_iris(data: Path) -> list[str]:
    """Every subject IRI of ``data`` with an rdfs:label, sorted."""
    found: set[str] = set()
    rdf_format = ox.RdfFormat.from_extension(data.suffix.lstrip("."))
    if rdf_format is None:
        raise ValueError(f"{data}: no RDF format for its extension")
    for quad in ox.parse(path=data, format=rdf_format):
        if isinstance(quad.subject, ox.NamedNode) and quad.predicate.value == RDFS_LABEL:
            found.add(quad.subject.value)
    return sorted(found)


@dataclass(frozen=True)
class Ask:
    """One distinct request of the workload, before it is addressed to a server."""

    shape: str  # lookup, page or cq
    name: str  # the IRI, or the question's name
    sparql: str  # the query; for a page, the CONSTRUCT its document runs
    doc: str = ""  # a page: its path on rlskg, /doc/...


@dataclass(frozen=True)
class Request:
    """One request line of a server's table."""

    method: str
    path: str  # with the urlencoded query
    accept: str
    headers: tuple[tuple[str, str], ...] = ()

    def line(self) -> str:
        fields = [self.method, self.path, self.accept, *(f"{k}: {v}" for k, v in self.headers)]
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"a request field holds a tab or a newline: {fields}")
        return "\t".join(fields)


def address(ask: Ask, server: str, query_path: str, headers: dict[str, str], accept: str = "") -> Request:
    """``ask`` as ``server`` is sent it: rlskg's pages at /doc/, every query at ``query_path``."""
    extra = tuple(headers.items())
    if ask.shape == "page" and server in SUBJECTS:
        return Request("GET", ask.doc, accept or TURTLE, extra)
    query = urllib.parse.urlencode({"query": ask.sparql})
    return Request("GET", f"{query_path}?{query}", accept or (TURTLE if ask.shape == "page" else JSON), extra)


@dataclass
class Workload:
    """The distinct requests (``asks``: lookups, then pages, then questions) and, for each shape,
    the order to send them in (indices into ``asks``)."""

    asks: list[Ask]
    orders: dict[str, list[int]]
    warm: dict[str, list[int]]  # the warm-up's order, from another seed
    seed: int = SEED
    zipf: float = ZIPF
    mix: dict[str, float] = field(default_factory=lambda: dict(MIX))

    @property
    def sizes(self) -> dict[str, int]:
        """Distinct requests of each part."""
        return {part: sum(1 for a in self.asks if a.shape == part) for part in PARTS}

    def table(self, server: str, query_path: str, headers: dict[str, str], accept: str = "") -> list[Request]:
        return [address(ask, server, query_path, headers, accept) for ask in self.asks]

    def write(
        self, folder: Path, shape: str, server: str, query_path: str, headers: dict[str, str]
    ) -> tuple[Path, Path]:
        """The request table for ``server`` and the order of ``shape``, as workload.lua reads them."""
        folder.mkdir(parents=True, exist_ok=True)
        table = folder / (re.sub(r"[^\w.-]+", "-", server) + ".requests")
        if not table.exists():
            table.write_text("".join(r.line() + "\n" for r in self.table(server, query_path, headers)))
        order = folder / f"{shape}.order"
        if not order.exists():
            order.write_text("".join(f"{i}\n" for i in self.orders[shape]))
        return table, order


def zipf_draws(rng: random.Random, size: int, count: int, s: float) -> list[int]:
    """``count`` ranks in [0, size), rank k (from 0) drawn with probability proportional to 1/(k+1)^s."""
    weights = list(itertools.accumulate(1 / (k + 1) ** s for k in range(size)))
    return rng.choices(range(size), cum_weights=weights, k=count)


def rounds(rng: random.Random, size: int) -> Iterator[int]:
    """0..size-1 in a new random order each round, forever."""
    while True:
        order = list(range(size))
        rng.shuffle(order)
        yield from order


def build(
    data: Path,
    length: int,
    seed: int = SEED,
    s: float = ZIPF,
    mix: dict[str, float] | None = None,
    warm_length: int = 2000,
) -> Workload:
    """The workload over ``data``: ``length`` requests of each shape."""
    mix = dict(mix or MIX)
    iris = labelled_iris(data)
    random.Random(f"{seed}:rank").shuffle(iris)  # rank order: the first is the most asked
    asks = [Ask("lookup", iri, lookup_query(iri)) for iri in iris]
    asks += [Ask("page", iri, page_query(iri), doc) for iri in iris if (doc := doc_path(iri))]
    asks += [Ask("cq", q.name, q.sparql) for q in load_questions()]
    start = {part: next(i for i, a in enumerate(asks) if a.shape == part) for part in PARTS}
    size = {part: sum(1 for a in asks if a.shape == part) for part in PARTS}
    if not all(size.values()):
        raise SystemExit(f"{data}: nothing to ask for some shape: {size}")

    def draws(part: str, rng: random.Random, count: int) -> list[int]:
        if part == "cq":
            return [start[part] + i for i in itertools.islice(rounds(rng, size[part]), count)]
        return [start[part] + k for k in zipf_draws(rng, size[part], count, s)]

    def orders(tag: str, count: int) -> dict[str, list[int]]:
        found = {part: draws(part, random.Random(f"{seed}:{tag}:{part}"), count) for part in PARTS}
        picks = random.Random(f"{seed}:{tag}:mix").choices(PARTS, weights=[mix[p] for p in PARTS], k=count)
        streams = {
            part: iter(draws(part, random.Random(f"{seed}:{tag}:mix:{part}"), count)) for part in PARTS
        }
        found["mix"] = [next(streams[part]) for part in picks]
        return found

    return Workload(asks, orders("timed", length), orders("warm", warm_length), seed, s, mix)


def repeats(order: Sequence[int], sent: int, threads: int = 1) -> float:
    """The share of the first ``sent`` requests of ``order`` (sent by ``threads`` wrk threads, each
    from its own offset, as workload.lua does) that repeat an earlier one of them: the most a cache
    that starts empty can answer."""
    if sent <= 0 or not order:
        return 0.0
    seen: set[int] = set()
    for thread in range(threads):
        offset = thread * len(order) // threads
        each = sent // threads + (1 if thread < sent % threads else 0)
        for step in range(each):
            seen.add(order[(offset + step) % len(order)])
    return 1 - len(seen) / sent


def main() -> None:
    from bench.servers import ensure_dataset

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--shape", choices=SHAPES, default="mix")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--server", choices=("rlskg", "oxigraph-disk", "bare-flask"), default="rlskg")
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    work = build(ensure_dataset(args.build), max(args.count, 1000), args.seed)
    query_path = "/query" if args.server.startswith("oxigraph") else "/sparql"
    table = work.table(args.server, query_path, {})
    print(f"# {work.sizes}; repeats in the first 1000: {repeats(work.orders[args.shape], 1000):.0%}")
    for index in work.orders[args.shape][: args.count]:
        request = table[index]
        shown = urllib.parse.unquote_plus(request.path)[:150]
        print(f"{work.asks[index].shape:6} {request.method} {shown}  [{request.accept}]")


if __name__ == "__main__":
    main()
