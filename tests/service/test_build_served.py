"""The service over a real build folder (graph/build.py's output), as `rlskg serve --out` reads it."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF, VOID

from rlskg.ontology.namespaces import GRAPH, SD
from rlskg.service import close_app, create_app
from tests.support.service import parse


def test_build_is_served_with_its_version_graphs_and_void(built_dataset: Path) -> None:
    manifest = json.loads((built_dataset / "manifest.json").read_text())
    app = create_app({"OUT": str(built_dataset), "POOL_SIZE": 1, "ACCESS_LOG": False})
    try:
        client = app.test_client()
        health = client.get("/health").json
        description = parse(client.get("/service-description").data, "turtle")
    finally:
        close_app(app)
    assert health is not None and health["version"] == manifest["version"]
    assert health["triples"] == sum(manifest["graphs"].values())
    names = {str(o) for o in description.objects(None, SD.name)}
    assert {GRAPH.ontology, GRAPH.nhs, GRAPH.simple, GRAPH.inferred} <= {URIRef(n) for n in names}
    dataset = description.value(URIRef("http://localhost/service-description"), SD.defaultDataset)
    assert isinstance(dataset, URIRef) and (dataset, RDF.type, SD.Dataset) in description
    assert (dataset, VOID.sparqlEndpoint, URIRef("http://localhost/sparql")) in description
