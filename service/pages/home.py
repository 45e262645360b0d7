"""The home page at / for browsers: what the graph is, its VoID statistics, entry points, a diagram
of RLS and its neighbours, and label search. Programs asking / for RDF get the service
description (as on GET /sparql without a query).
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from rdflib.namespace import VOID

from rlskg.ontology.namespaces import BASE, DATASET_IRI, GRAPH, RLS
from rlskg.service.pages.dataset import NUMBERS
from rlskg.service.pages.describe import href, local_path, select
from rlskg.service.pages.diagram import Diagram, Node, layout
from rlskg.service.pages.document import wants_html
from rlskg.service.pages.meta import DESCRIPTION, dataset_schema
from rlskg.service.protocol import conditional, description
from rlskg.service.state import state

bp = Blueprint("home", __name__)
RLS_IRI = str(RLS.RestlessLegsSyndrome)
STATISTICS = ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects")
GROUPS = {
    "form": "Forms of RLS",
    "mechanism": "Mechanisms",
    "condition": "Conditions",
    "drug": "Drugs and chemicals",
    "treatment": "Treatments and interventions",
    "source": "Sources",
}


def statistics(void: list[ox.Triple]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The dataset's VoID figures, and each named graph's triple count, from the build's void.ttl."""
    numbers = {}
    per_graph = {}
    for t in void:
        if isinstance(t.subject, ox.Triple):
            continue
        name = t.predicate.value.removeprefix(str(VOID))
        if isinstance(t.object, ox.Literal) and name in STATISTICS:
            if t.subject.value == DATASET_IRI:
                numbers[name] = t.object.value
            elif name == "triples" and "/graph/" in t.subject.value:
                per_graph[t.subject.value] = t.object.value
    return [(n, numbers[n]) for n in STATISTICS if n in numbers], sorted(per_graph.items())


def entry_points() -> dict[str, list[dict[str, str]]]:
    """Rows of home-entry-points.rq by group, one per item (with every relation it has to RLS)."""
    settings = state().settings
    rows = select(state().store, "home-entry-points", settings.query_timeout, settings.max_result_bytes)
    groups: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in rows:
        link = href(row["item"])
        if link is None:  # not http(s): data may hold a javascript: IRI, which must not become a link
            continue
        item = groups[row["group"]].setdefault(
            row["item"], {"label": row["label"], "href": link, "relation": ""}
        )
        if not item["relation"] and row.get("predicate"):
            item["relation"] = row["predicate"].rsplit("/", 1)[-1]
    return {g: sorted(items.values(), key=lambda i: i["label"].lower()) for g, items in groups.items()}


def rls_diagram(groups: dict[str, list[dict[str, str]]]) -> Diagram:
    def nodes(group: str) -> list[Node]:
        return [Node(i["label"], i["href"], i["relation"]) for i in groups.get(group, [])]

    return layout(
        Node("restless legs syndrome", local_path(RLS_IRI)),
        [(GROUPS["condition"], nodes("condition")), (GROUPS["mechanism"], nodes("mechanism"))],
        [(GROUPS["drug"], nodes("drug")), (GROUPS["treatment"], nodes("treatment"))],
        more_href=f"{local_path(RLS_IRI)}#associations",
    )


@bp.get("/")
def home() -> Response:
    if not wants_html(request.headers.get("Accept")):
        return description.respond()
    current = state()
    validator = conditional.ReadValidator(
        request, current.store.version, current.settings.cache_max_age, "home"
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    numbers, per_graph = statistics(current.void)
    if not numbers:  # no build's void.ttl (data given as files): count from the store
        stats = current.store.stats()
        numbers = [("triples", str(stats.triples))]
        per_graph = sorted((g, str(n)) for g, n in stats.graphs.items())
    groups = entry_points()
    settings = current.settings
    defined = select(current.store, "ontology-classes", settings.query_timeout, settings.max_result_bytes)
    body = render_template(
        "home.html",
        numbers=[
            (NUMBERS.get(name, (name, ""))[0], value, NUMBERS.get(name, ("", ""))[1])
            for name, value in numbers
        ],
        defined_classes=defined[0].get("classes", "0") if defined else "0",
        per_graph=[
            (g, n, "/" + g.removeprefix(BASE) if g.startswith(str(GRAPH)) else None) for g, n in per_graph
        ],
        groups=[(GROUPS[g], groups.get(g, [])) for g in GROUPS],
        rls_href=local_path(RLS_IRI),
        diagram=rls_diagram(groups),
        canonical=request.url_root,
        description=DESCRIPTION,
        schema=dataset_schema(),
    )
    response = Response(body, content_type="text/html; charset=utf-8")
    return validator.mark(response)
