"""The ontology IRI on a real `rlskg serve --out BUILD`, loaded as OWL tools load it: the OWL API
(Protege's library) and owlready2 fetch the URL and must get the release, blank nodes and all, not
the store's skolemised copy (which the OWL API found outside OWL 2 DL and owlready2 could not
read)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import owlready2
import pytest
from rdflib.compare import isomorphic

from rlskg.ontology.owlapi import check_profile
from tests.support.server import Server, start, stop
from tests.support.service import parse

pytestmark = [pytest.mark.server, pytest.mark.reasoner]
VERSION_PATH = "/ontology/releases/2026-11-22/rls.owl"


@pytest.fixture(scope="module")
def server(built_dataset: Path) -> Iterator[Server]:
    running = start("--out", str(built_dataset), data=None)
    try:
        yield running
    finally:
        stop(running)


def url(server: Server, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def test_a_client_that_states_no_preference_gets_the_release_in_rdfxml(
    server: Server, built_dataset: Path
) -> None:
    status, headers, _ = server.request("GET", "/ontology")
    assert status == 303 and headers["location"] == "/doc/ontology"
    status, headers, body = server.request("GET", "/doc/ontology")
    assert status == 200 and headers["content-type"] == "application/rdf+xml"
    assert body == (built_dataset / "ontology" / "rls.owl").read_bytes()
    assert b"/.well-known/genid/" not in body


@pytest.mark.parametrize(
    ("path", "media_type", "file"),
    [
        ("/ontology.owl", "application/rdf+xml", "rls.owl"),
        ("/ontology.rdf", "application/rdf+xml", "rls.owl"),
        ("/ontology.xml", "application/rdf+xml", "rls.owl"),
        ("/ontology.ttl", "text/turtle", "rls.ttl"),
        ("/ontology.jsonld", "application/ld+json", "rls.jsonld"),
        (VERSION_PATH, "application/rdf+xml", "rls.owl"),
        (VERSION_PATH.replace(".owl", ".ttl"), "text/turtle", "rls.ttl"),
        ("/ontology.obo", "text/obo", "rls.obo"),
        ("/ontology.json", "application/json", "rls.json"),
        ("/ontology-base.owl", "application/rdf+xml", "rls-base.owl"),
        ("/ontology-base.ttl", "text/turtle", "rls-base.ttl"),
        ("/ontology-simple.owl", "application/rdf+xml", "rls-simple.owl"),
        ("/ontology-simple.rdf", "application/rdf+xml", "rls-simple.owl"),
        ("/ontology-simple.ttl", "text/turtle", "rls-simple.ttl"),
        (VERSION_PATH.replace("rls.owl", "rls-base.owl"), "application/rdf+xml", "rls-base.owl"),
        (VERSION_PATH.replace("rls.owl", "rls-simple.owl"), "application/rdf+xml", "rls-simple.owl"),
        (VERSION_PATH.replace("rls.owl", "rls-simple.ttl"), "text/turtle", "rls-simple.ttl"),
        (VERSION_PATH.replace("rls.owl", "rls.obo"), "text/obo", "rls.obo"),
        (VERSION_PATH.replace("rls.owl", "rls.json"), "application/json", "rls.json"),
    ],
)
def test_each_form_of_the_ontology_iri_is_a_release_file(
    server: Server, built_dataset: Path, path: str, media_type: str, file: str
) -> None:
    status, headers, body = server.request("GET", path)
    assert status == 200 and headers["content-type"].split(";")[0] == media_type
    assert body == (built_dataset / "ontology" / file).read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/ontology/releases/2001-01-01/rls.owl",
        "/ontology/releases/2001-01-01/rls-base.owl",
        VERSION_PATH.replace("rls.owl", "rls-base.obo"),  # OBO is of the simple product, as rls.obo
        VERSION_PATH.replace("rls.owl", "rls-other.owl"),
        "/ontology-base.jsonld",
        "/ontology-full.owl",
    ],
)
def test_another_version_or_product_is_not_served(server: Server, path: str) -> None:
    status, _, _ = server.request("GET", path)
    assert status == 404


def test_an_obo_client_gets_the_obo_release_by_accept(server: Server, built_dataset: Path) -> None:
    status, headers, body = server.request("GET", "/doc/ontology", headers={"Accept": "text/obo"})
    assert status == 200 and headers["content-type"] == "text/obo; charset=utf-8"
    assert body == (built_dataset / "ontology" / "rls.obo").read_bytes()


@pytest.mark.parametrize("path", ["/ontology", VERSION_PATH])
def test_the_owl_api_loads_the_ontology_iri_as_the_release(
    server: Server, built_dataset: Path, path: str
) -> None:
    served = check_profile(url(server, path))
    released = check_profile(built_dataset / "ontology" / "rls.ttl")
    assert served.in_profile, served.violations[:5]
    assert served.stats["classes"] == released.stats["classes"] > 200
    assert served.stats["equivalent classes axioms"] == released.stats["equivalent classes axioms"] > 10
    assert served.stats["logical axioms"] == released.stats["logical axioms"]


@pytest.mark.parametrize(
    "path", ["/ontology-base.owl", "/ontology-simple.owl", VERSION_PATH.replace("rls.owl", "rls-base.owl")]
)
def test_the_owl_api_loads_the_base_and_simple_products_from_their_iris(
    server: Server, built_dataset: Path, path: str
) -> None:
    served = check_profile(url(server, path))
    released = check_profile(built_dataset / "ontology" / path.rsplit("/", 1)[-1].replace("ontology", "rls"))
    assert served.in_profile, served.violations[:5]
    assert served.stats == released.stats


def test_owlready2_loads_the_ontology_iri(server: Server, built_dataset: Path) -> None:
    """owlready2 sends no Accept header and reads RDF/XML (or N-Triples) only."""
    served = owlready2.World().get_ontology(url(server, "/ontology")).load()
    released = owlready2.World().get_ontology(str(built_dataset / "ontology" / "rls.owl")).load()
    served_classes = {c.iri for c in served.world.classes()}
    assert len(served_classes) > 200
    assert served_classes == {c.iri for c in released.world.classes()}
    assert not any("/.well-known/genid/" in iri for iri in served_classes)


# -- the data model: an ontology of its own, at its own IRI -------------------------------------

MODEL_VERSION_PATH = "/model/releases/2026-11-22/rlskg-model.owl"


@pytest.mark.parametrize(
    ("path", "accept", "media_type", "file"),
    [
        ("/model", None, "application/rdf+xml", "rlskg-model.owl"),
        ("/model", "text/turtle", "text/turtle", "rlskg-model.ttl"),
        ("/model.owl", None, "application/rdf+xml", "rlskg-model.owl"),
        ("/model.ttl", None, "text/turtle", "rlskg-model.ttl"),
        (MODEL_VERSION_PATH, None, "application/rdf+xml", "rlskg-model.owl"),
        (MODEL_VERSION_PATH.replace(".owl", ".ttl"), None, "text/turtle", "rlskg-model.ttl"),
    ],
)
def test_each_form_of_the_model_iri_is_its_release_file(
    server: Server, built_dataset: Path, path: str, accept: str | None, media_type: str, file: str
) -> None:
    status, headers, body = server.request("GET", path, headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].split(";")[0] == media_type
    assert body == (built_dataset / "ontology" / file).read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/model/releases/2001-01-01/rlskg-model.owl",
        "/model.obo",
        "/model/releases/x/rls.owl",
    ],
)
def test_another_version_or_form_of_the_model_is_not_served(server: Server, path: str) -> None:
    status, _, _ = server.request("GET", path)
    assert status == 404


@pytest.mark.parametrize("path", ["/model", MODEL_VERSION_PATH])
def test_the_owl_api_loads_the_model_iri_alone_in_owl2_dl(
    server: Server, built_dataset: Path, path: str
) -> None:
    served = check_profile(url(server, path))
    released = check_profile(built_dataset / "ontology" / "rlskg-model.owl")
    assert served.in_profile, served.violations[:5]
    assert served.stats == released.stats


def test_the_model_iri_answers_json_ld(server: Server) -> None:
    """Every IRI of the dataset dereferences in JSON-LD too (tests/pages/test_dereference.py): the
    model, which the build releases as OWL and Turtle, is written as compact JSON-LD from its Turtle."""
    status, headers, body = server.request("GET", "/model", {"Accept": "application/ld+json"})
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    turtle = server.request("GET", "/model.ttl")[2]
    assert isomorphic(parse(turtle, "turtle"), parse(body, "json-ld"))
