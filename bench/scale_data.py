"""A synthetic dataset of the real graph's shape, for scale benchmarks (``bench/scale_bench.py``).

It starts from a build (the ontology, the sources, the simple and inferred graphs, as they are)
and adds copies of the real source graphs until the target size: each copy is a new source (its
own named graph and source node) whose associations, figures and populations get new IRIs, whose
figures get other numbers, and nine in ten of whose conditions are new classes, each a subclass of
the condition it stands for (so that ``rdfs:subClassOf*`` questions still find them). Each copy's
simple triples are added as the build would derive them. Same seed, same bytes.

    python -m bench.scale_data OUT.nq --triples 1000000 [--seed 7] [--out build]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from rlskg.graph.derive import derive_simple
from rlskg.graph.stores import build_files
from rlskg.ontology.namespaces import GRAPH, RLS

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
OWL_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
SUBJECT = ox.NamedNode(str(RLS.subject))
DERIVED = {str(GRAPH.ontology), str(GRAPH.simple), str(GRAPH.inferred)}
SIMPLE = ox.NamedNode(str(GRAPH.simple))
CONDITIONS = ox.NamedNode(str(GRAPH["synthetic-conditions"]))

# Share of a copy's conditions that become new classes. The rest keep the copies linked: questions
# that pair claims about one condition (disagreements) grow with the square of the copies of it.
REPLACED = 0.9

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Template:
    """One real source graph: its triples, the IRIs it mints, its conditions and simple triples."""

    graph: str
    triples: list[ox.Triple]
    local: frozenset[str]  # IRIs first described here (associations, figures, the source...)
    conditions: tuple[str, ...]  # objects of rls:subject, in first-seen order
    simple: list[ox.Triple]


def _templates(quads: list[ox.Quad]) -> tuple[list[Template], dict[str, str]]:
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    ontology = by_graph.get(str(GRAPH.ontology), [])
    described = {t.subject.value for t in ontology if isinstance(t.subject, ox.NamedNode)}
    labels = {
        t.subject.value: t.object.value
        for t in ontology
        if t.predicate == LABEL and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal)
    }
    templates = []
    for name in sorted(set(by_graph) - DERIVED):
        triples = by_graph[name]
        local = frozenset(
            t.subject.value
            for t in triples
            if isinstance(t.subject, ox.NamedNode) and t.subject.value not in described
        )
        conditions = tuple(
            dict.fromkeys(
                t.object.value
                for t in triples
                if t.predicate == SUBJECT and isinstance(t.object, ox.NamedNode)
            )
        )
        templates.append(Template(name, triples, local, conditions, _simple(triples)))
    return templates, labels


def _simple(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The build's own derivation (graph.derive), run once per template."""
    graph = Graph(bind_namespaces="none")
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    derived = derive_simple(graph).serialize(format="nt", encoding="utf-8")
    return sorted((q.triple for q in ox.parse(derived, ox.RdfFormat.N_TRIPLES)), key=str)  # set order varies


class _Copy:
    """The renaming of one template into copy number ``index``."""

    def __init__(self, template: Template, index: int, rng: random.Random, labels: dict[str, str]) -> None:
        self.template, self.suffix = template, f"-x{index}"
        self.graph = ox.NamedNode(template.graph + self.suffix)
        self.factor = Decimal(rng.randint(50, 150)) / 100  # figures: other numbers, same order
        self.classes: dict[str, str] = {}
        self.extra: list[ox.Quad] = []
        for k, condition in enumerate(template.conditions):
            if rng.random() < REPLACED:
                new = f"{RLS}SyntheticCondition{index}x{k}"
                self.classes[condition] = new
                label = f"{labels.get(condition, condition.rsplit('/', 1)[-1])} (variant {index}.{k})"
                node = ox.NamedNode(new)
                self.extra += [
                    ox.Quad(node, RDF_TYPE, OWL_CLASS, CONDITIONS),
                    ox.Quad(node, SUBCLASS, ox.NamedNode(condition), CONDITIONS),
                    ox.Quad(node, LABEL, ox.Literal(label, language="en"), CONDITIONS),
                ]

    def node(
        self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        if isinstance(term, ox.NamedNode):
            if term.value in self.template.local:
                return ox.NamedNode(term.value + self.suffix)
            if term.value in self.classes:
                return ox.NamedNode(self.classes[term.value])
        if isinstance(term, ox.Literal) and term.datatype == DECIMAL:
            return ox.Literal(
                str((Decimal(term.value) * self.factor).quantize(Decimal("0.01"))), datatype=DECIMAL
            )
        return term

    def quads(self) -> Iterator[ox.Quad]:
        yield from self.extra
        for t in self.template.triples:
            yield ox.Quad(self.node(t.subject), t.predicate, self.node(t.object), self.graph)  # type: ignore[arg-type]
        for t in self.template.simple:
            yield ox.Quad(self.node(t.subject), t.predicate, self.node(t.object), SIMPLE)  # type: ignore[arg-type]


def generate(
    build: Path, triples: int, sink: BinaryIO, *, seed: int = 7, progress: Progress | None = None
) -> int:
    """Write about ``triples`` quads (at least the build's own) as N-Quads to ``sink``; the count.

    :raises FileNotFoundError: ``build`` holds no dataset.
    """
    files = build_files(build)
    if not files:
        raise FileNotFoundError(f"{build} holds no dataset: run `rlskg build --out {build}`")
    quads = list(ox.parse(path=str(files[0])))
    templates, labels = _templates(quads)
    rng = random.Random(seed)
    ox.serialize(quads, sink, ox.RdfFormat.N_QUADS)
    written, index, shown, started = len(quads), 0, 0.0, time.monotonic()
    while written < triples and templates:
        copy = _Copy(templates[index % len(templates)], index, rng, labels)
        batch = list(copy.quads())
        ox.serialize(batch, sink, ox.RdfFormat.N_QUADS)
        written += len(batch)
        index += 1
        if progress is not None and (written / triples >= shown + 0.05 or written >= triples):
            shown = written / triples
            rate = written / max(time.monotonic() - started, 1e-6)
            progress(
                f"{written:,} / {triples:,} triples ({min(shown, 1):.0%}, {rate:,.0f}/s, {index} sources)"
            )
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", type=Path, help="the N-Quads file to write")
    parser.add_argument("--triples", type=float, default=1e5, help="how many, about [1e5]")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("build"), help="the build to start from [build]")
    args = parser.parse_args(argv)
    with args.target.open("wb") as sink:
        count = generate(
            args.out,
            int(args.triples),
            sink,
            seed=args.seed,
            progress=lambda line: print(line, file=sys.stderr),
        )
    print(f"{count} triples written to {args.target}", file=sys.stderr)


if __name__ == "__main__":
    main()
