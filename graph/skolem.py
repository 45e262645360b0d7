"""Replace blank nodes by stable IRIs (skolemisation), so that the same input gives the same output.

A blank node's IRI is ``GENID`` + a hash of where it sits in the graph, found by colour refinement
(1-dimensional Weisfeiler-Lehman): every blank node starts with the same colour, and each round
hashes a node's colour with its outgoing and incoming edges (predicate plus the IRI, literal or
colour at the other end), until no round splits a colour any more. The hash depends on the
triples only, never on the parser's random blank-node labels or on Python's hash seed. (It is a
build artefact: an edit to the file may change it, as it may change any blank node's label.)

``rdflib.compare.to_canonical_graph`` does the same refinement and then breaks every tie
exhaustively; that took minutes on a few thousand OWL blank nodes. Ties left after refinement
are blank nodes with the same edges to the same neighbours (two identical axiom annotations, say):
they are interchangeable, so they are numbered in the graph's order with the same result.
"""

import hashlib
from collections import defaultdict

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from rlskg.ontology.namespaces import GENID

# 128 bits of the hash: no collision to fear among a few thousand nodes, and IRIs stay readable.
_HASH_CHARS = 32


def skolem_iris(graph: Graph) -> dict[BNode, URIRef]:
    """A stable GENID IRI for every blank node of ``graph``."""
    outgoing: dict[BNode, list[tuple[str, Node]]] = defaultdict(list)
    incoming: dict[BNode, list[tuple[str, Node]]] = defaultdict(list)
    order: dict[BNode, None] = {}  # blank nodes in the order the graph yields them
    for s, p, o in graph:
        if isinstance(s, BNode):
            outgoing[s].append((p.n3(), o))
            order.setdefault(s)
        if isinstance(o, BNode):
            incoming[o].append((p.n3(), s))
            order.setdefault(o)
    nodes = list(order)
    colour = dict.fromkeys(nodes, "")

    def name(node: Node) -> str:
        return "_:" + colour[node] if isinstance(node, BNode) else node.n3()

    classes = 1
    for _round in range(len(nodes)):
        refined = {}
        for node in nodes:
            edges = sorted(f"> {p} {name(o)}" for p, o in outgoing[node])
            edges += sorted(f"< {p} {name(s)}" for p, s in incoming[node])
            text = "\n".join([colour[node], *edges])
            refined[node] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_CHARS]
        colour = refined
        # A colour never merges two classes, so an unchanged count means a stable partition.
        count = len(set(colour.values()))
        if count == classes:
            break
        classes = count

    iris: dict[BNode, URIRef] = {}
    seen: dict[str, int] = defaultdict(int)
    for node in nodes:
        seen[colour[node]] += 1
        suffix = "" if seen[colour[node]] == 1 else f"-{seen[colour[node]]}"
        iris[node] = GENID[colour[node] + suffix]
    return iris


def skolemize(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are replaced by their :func:`skolem_iris`."""
    iris = skolem_iris(graph)
    result = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for s, p, o in graph:
        result.add(
            (
                iris[s] if isinstance(s, BNode) else s,
                p,
                iris[o] if isinstance(o, BNode) else o,
            )
        )
    return result
