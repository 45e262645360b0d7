"""The competency questions (graph/competency/*.rq) as a benchmark asks them, each with what its
algebra holds: joins, property paths, aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rlskg.graph.competency import load_questions


@dataclass(frozen=True)
class Question:
    name: str
    sparql: str
    features: tuple[str, ...]  # of "join", "path", "aggregate"

    @property
    def kind(self) -> str:
        return "+".join(f[:3] for f in self.features) or "lookup"


def features(sparql: str) -> tuple[str, ...]:
    """What the query's algebra holds: joins (a BGP of 2+ patterns, Join, LeftJoin, Minus, Union,
    a FILTER (NOT) EXISTS), property paths beyond one IRI, aggregates."""
    from rdflib.paths import Path as PropertyPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, CompValue):
            if node.name in ("Join", "LeftJoin", "Minus", "Union", "Builtin_EXISTS", "Builtin_NOTEXISTS"):
                found.add("join")
            if node.name in ("AggregateJoin", "Group"):
                found.add("aggregate")
            if node.name == "BGP":
                triples = node.get("triples") or []
                if len(triples) > 1:
                    found.add("join")
                if any(isinstance(t[1], PropertyPath) for t in triples):
                    found.add("path")
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(prepareQuery(sparql).algebra)
    return tuple(f for f in ("join", "path", "aggregate") if f in found)


def questions(only: list[str]) -> list[Question]:
    chosen = [q for q in load_questions() if not only or any(q.name.startswith(o) for o in only)]
    if not chosen:
        raise SystemExit(f"no competency question matches {only}")
    return [Question(q.name, q.sparql, features(q.sparql)) for q in chosen]
