"""Claim lint: rules that keep each sourced claim saying what its source says, and keep the derived
graphs from saying more.

Each rule is a SPARQL SELECT in ``graph/claim-rules/<name>.rq`` over a built dataset (the union
default graph, with GRAPH for the simple and inferred graphs), answering ``?focus`` (the claim or
the triple at fault) and ``?message``; its header comment says what it keeps true. ``rlskg check``
reports each answer as a problem of check ``claims:<name>``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from rlskg.ontology.problems import Problem

RULES_DIR = Path(__file__).resolve().parent / "claim-rules"


def rule_names() -> list[str]:
    return sorted(path.stem for path in RULES_DIR.glob("*.rq"))


def claim_problems(nquads: Path) -> list[Problem]:
    """Every answer of every rule over the built ``dataset.nq``."""
    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    return lint(store)


def lint(store: ox.Store) -> list[Problem]:
    """Every answer of every rule over ``store`` (a dataset as the build writes it)."""
    problems = []
    for name in rule_names():
        query = (RULES_DIR / f"{name}.rq").read_text(encoding="utf-8")
        results = store.query(query, use_default_graph_as_union=True)
        assert isinstance(results, ox.QuerySolutions)
        for row in results:
            focus, message = row["focus"], row["message"]
            shown = focus.value if isinstance(focus, ox.NamedNode | ox.Literal) else str(focus)
            problems.append(Problem(f"claims:{name}", shown, message.value if message is not None else name))
    return sorted(set(problems))
