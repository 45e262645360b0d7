"""A synthetic dataset shaped like rlskg's (a class tree with labels, association nodes in one named
graph per source, derived simple triples) and the six queries the peer measurements used, for benchmarks.

    python -m bench.peer_data OUT_FILE.trig [--classes 500] [--associations 150]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from rlskg.ontology.namespaces import ASSOC, GRAPH, PREFIXES, SRC

SOURCES = ("nhs", "webmd", "clinic", "verywell", "overview")
# Queries declare their prefixes, as clients of other services must.
PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rls", "rdf", "rdfs", "owl", "dcterms"))
QUERIES = {
    "label lookup": PROLOGUE + "SELECT ?l WHERE { rls:C42 rdfs:label ?l }",
    "association join": PROLOGUE + "SELECT ?a ?s ?o ?src WHERE { ?a a rls:Association ; rdf:subject ?s ;"
    " rdf:object ?o ; dcterms:source ?src }",
    "OPTIONAL + ORDER BY": PROLOGUE + "SELECT ?c ?l ?p WHERE { ?c a owl:Class OPTIONAL { ?c rdfs:label ?l }"
    " OPTIONAL { ?c rdfs:subClassOf ?p } } ORDER BY ?l",
    "subClassOf* path": PROLOGUE + "SELECT ?sup WHERE { rls:C250 rdfs:subClassOf* ?sup }",
    "COUNT/GROUP BY": PROLOGUE
    + "SELECT ?src (COUNT(?a) AS ?n) WHERE { ?a dcterms:source ?src } GROUP BY ?src",
    "small CONSTRUCT": PROLOGUE + "CONSTRUCT { rls:C42 ?p ?o } WHERE { rls:C42 ?p ?o }",
}


def trig(classes: int, associations: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in ("rls", "rdfs", "rdf", "owl", "dcterms")]
    out.append(f"<{GRAPH.ontology}> {{")
    for i in range(classes):
        parent = f" ; rdfs:subClassOf rls:C{(i - 1) // 3}" if i else ""
        out.append(f'  rls:C{i} a owl:Class ; rdfs:label "condition number {i}"@en{parent} .')
    out.append("}")
    simple = []
    for n, source in enumerate(SOURCES):
        out.append(f"<{GRAPH[source]}> {{")
        out.append(f'  <{SRC[source]}> a dcterms:BibliographicResource ; dcterms:title "source {source}" .')
        for k in range(n, associations, len(SOURCES)):
            subject = rng.randrange(classes)
            out.append(
                f"  <{ASSOC[f'a{k}']}> a rls:Association ; rdf:subject rls:C{subject} ; rdf:object rls:C0 ;"
                f' dcterms:source <{SRC[source]}> ; rdfs:comment "claim {k}" ; dcterms:identifier "{k}" .'
            )
            simple.append(f"  rls:C{subject} rls:associatedWith rls:C0 .")
        out.append("}")
    out += [f"<{GRAPH.simple}> {{", *sorted(set(simple)), "}"]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--classes", type=int, default=500)
    parser.add_argument("--associations", type=int, default=150)
    args = parser.parse_args()
    args.out.write_text(trig(args.classes, args.associations), encoding="utf-8")


if __name__ == "__main__":
    main()
