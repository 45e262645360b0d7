"""The release products at the ontology IRI, in-process and without a build (service/pages/release.py):
the service then makes the release from the edit file itself, unclassified, in pure Python (no
Java). With a build, tests/service/test_ontology_iri.py checks each file byte for byte."""

import warnings
from pathlib import Path

import fastobo
from flask.testing import FlaskClient
from pronto.ontology import Ontology
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from rlskg.ontology.source import EDIT_FILE, MODEL_FILE, load_ontology, ontology_iri
from tests.support.service import parse

VERSIONED = str(
    load_ontology(EDIT_FILE, with_imports=False).value(
        URIRef("https://w3id.org/rlskg/ontology"), OWL.versionIRI
    )
)
FOLDER = "/" + VERSIONED.removeprefix("https://w3id.org/rlskg/").rpartition("/")[0]


def test_get_ontology_obo_is_obo_that_fastobo_and_pronto_read(client: FlaskClient, tmp_path: Path) -> None:
    response = client.get("/ontology.obo")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/obo; charset=utf-8"
    text = response.get_data(as_text=True)
    assert "\nid: rls:RestlessLegsSyndrome\n" in text
    fastobo.loads(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # pronto takes the encoding (UTF-8, as OBO 1.4 says) only with a path
        (tmp_path / "rls.obo").write_bytes(response.data)
        assert "rls:RestlessLegsSyndrome" in Ontology(tmp_path / "rls.obo", encoding="utf-8")


def test_get_ontology_json_is_obo_graphs(client: FlaskClient) -> None:
    response = client.get("/ontology.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    graph = response.json["graphs"][0] if response.json else {}
    assert graph["id"] == "https://w3id.org/rlskg/ontology"
    assert graph["meta"]["version"] == VERSIONED.replace("/rls.owl", "/rls.json")


def test_get_base_and_simple_products_carry_their_version_iri(client: FlaskClient) -> None:
    for path, fmt, name in [
        ("/ontology-base.owl", "xml", "rls-base.owl"),
        ("/ontology-base.ttl", "turtle", "rls-base.owl"),
        ("/ontology-simple.rdf", "xml", "rls-simple.owl"),
        ("/ontology-simple.nt", "nt", "rls-simple.owl"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        graph: Graph = parse(response.data, fmt)
        header = ontology_iri(graph)
        assert graph.value(header, OWL.versionIRI) == URIRef(VERSIONED.replace("/rls.owl", f"/{name}")), path


def test_get_each_versioned_file_of_the_version_served(client: FlaskClient) -> None:
    for name, media_type in [
        ("rls.owl", "application/rdf+xml"),
        ("rls-base.owl", "application/rdf+xml"),
        ("rls-simple.ttl", "text/turtle"),
        ("rls.obo", "text/obo"),
        ("rls.json", "application/json"),
    ]:
        response = client.get(f"{FOLDER}/{name}")
        assert response.status_code == 200 and response.mimetype == media_type, name
        assert client.get(f"{FOLDER}/{name}").data == client.get(f"{FOLDER}/{name}").data


def test_get_a_product_or_form_not_served_is_404(client: FlaskClient) -> None:
    for path in [
        "/ontology-base.jsonld",
        "/ontology-simple.obo",
        f"{FOLDER}/rls-base.obo",
        f"{FOLDER}/rls-simple.json",
        f"{FOLDER}/rls-full.owl",
        "/ontology/releases/1999-01-01/rls-base.owl",
    ]:
        assert client.get(path).status_code == 404, path


def test_get_ontology_obo_answers_304_to_its_etag(client: FlaskClient) -> None:
    first = client.get("/ontology.obo")
    again = client.get("/ontology.obo", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_get_model_iri_is_the_data_model_release(client: FlaskClient) -> None:
    model = URIRef("https://w3id.org/rlskg/model")
    versioned = load_ontology(MODEL_FILE, with_imports=False).value(model, OWL.versionIRI)
    for path, accept, fmt in [
        ("/model", None, "xml"),
        ("/model", "text/turtle", "turtle"),
        ("/model.ttl", None, "turtle"),
        ("/model.nt", None, "nt"),
        ("/" + str(versioned).removeprefix("https://w3id.org/rlskg/"), None, "xml"),
    ]:
        response = client.get(path, headers={"Accept": accept} if accept else {})
        assert response.status_code == 200, path
        graph: Graph = parse(response.data, fmt)
        assert ontology_iri(graph) == model, path
        assert graph.value(model, OWL.versionIRI) == versioned, path
        assert not list(graph.objects(None, OWL.imports)), path
        assert (URIRef("https://w3id.org/rlskg/ontology/Association"), RDF.type, OWL.Class) in graph, path


def test_get_model_for_a_browser_is_its_turtle_as_text_and_others_are_406_or_404(
    client: FlaskClient,
) -> None:
    response = client.get("/model", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert b"<https://w3id.org/rlskg/model>" in response.data
    assert client.get("/model", headers={"Accept": "application/ld+json"}).status_code == 200
    assert client.get("/model", headers={"Accept": "application/trig"}).status_code == 406
    assert client.get("/model.obo").status_code == 404
    assert client.get("/model/releases/2001-01-01/rlskg-model.owl").status_code == 404


def test_disease_products_hold_no_data_model_term(client: FlaskClient) -> None:
    for path, fmt in [
        ("/ontology.ttl", "turtle"),
        ("/ontology-base.ttl", "turtle"),
        ("/ontology-simple.nt", "nt"),
    ]:
        graph: Graph = parse(client.get(path).data, fmt)
        assert not list(graph.triples((URIRef("https://w3id.org/rlskg/ontology/Association"), None, None))), (
            path
        )
    assert "rls:Association" not in client.get("/ontology.obo").get_data(as_text=True)
