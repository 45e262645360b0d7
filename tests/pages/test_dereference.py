"""Every IRI dereferences: each https://w3id.org/rlskg/ IRI of the built dataset (dataset.nq and
void.ttl), of the service description and of the dataset's DCAT description, served at this host,
answers 200 (after its 303, if any) to a linked-data client and to a browser; and every URL of this
service that the description names answers too."""

from __future__ import annotations

import base64
import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from rlskg.ontology.namespaces import BASE
from tests.support.browser import BROWSER

HOST = "http://localhost/"  # the test client's


def _iris(data: bytes, fmt: ox.RdfFormat, base_iri: str | None = None) -> set[str]:
    found = set()
    for quad in ox.parse(data, format=fmt, base_iri=base_iri):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


def _local(iri: str) -> str | None:
    """Where this service serves ``iri`` (without its fragment), or None for another site's IRI."""
    iri = iri.split("#", 1)[0]
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    if iri.startswith(HOST):
        return "/" + iri[len(HOST) :]
    return None


def _every_iri(built: Path, client: FlaskClient) -> dict[str, str]:
    iris = _iris((built / "dataset.nq").read_bytes(), ox.RdfFormat.N_QUADS)
    iris |= _iris((built / "void.ttl").read_bytes(), ox.RdfFormat.TURTLE)
    for path in ("/service-description", "/dataset"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, path
        iris |= _iris(response.data, ox.RdfFormat.TURTLE, base_iri=HOST + path[1:])
    return {iri: local for iri in iris if (local := _local(iri)) is not None}


def _dereference(client: FlaskClient, path: str, accept: str) -> int:
    response = client.get(path, headers={"Accept": accept}, follow_redirects=True)
    response.close()
    return response.status_code


def test_every_iri_of_the_dataset_and_the_description_dereferences(
    built_dataset: Path, client: FlaskClient
) -> None:
    targets = _every_iri(built_dataset, client)
    kinds = {path.split("/")[1] for path in targets.values()}
    # graphs, genids, the VoID dataset, its partitions and dumps, the versionIRI are all in
    assert {"graph", ".well-known", "dataset", "download", "ontology", "id", "sparql"} <= kinds
    assert len(targets) > 1000
    failures = [
        (iri, accept, status)
        for iri, path in sorted(targets.items())
        for accept in ("text/turtle", "application/ld+json")
        if (status := _dereference(client, path, accept)) != 200
    ]
    print(f"dereferenced {len(targets)} IRIs, each as Turtle and JSON-LD: {len(failures)} failures")
    assert failures == []


def test_every_kind_of_iri_dereferences_for_a_browser(built_dataset: Path, client: FlaskClient) -> None:
    targets = _every_iri(built_dataset, client)
    one_of_each: dict[str, str] = {}
    for path in sorted(targets.values()):
        one_of_each.setdefault("/".join(path.split("/")[:3]), path)
    failures = [
        (path, status)
        for path in one_of_each.values()
        if (status := _dereference(client, path, BROWSER)) != 200
    ]
    assert len(one_of_each) > 10 and failures == []


def test_get_graph_iri_is_303_to_its_graph_store_document(client: FlaskClient) -> None:
    response = client.get("/graph/nhs", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and "Accept" in response.headers["Vary"]
    assert response.headers["Location"] == "/store?graph=https://w3id.org/rlskg/graph/nhs"
    document = client.get(response.headers["Location"], headers={"Accept": "text/turtle"})
    assert document.status_code == 200 and b"src:nhs" in document.data
    browser = client.get("/graph/nhs", headers={"Accept": BROWSER})
    assert browser.status_code == 303 and browser.headers["Location"] == "/dataset#graph-nhs"
    assert client.get("/graph/nowhere", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("name", ["dataset.nq", "dataset.trig"])
def test_get_dump_is_the_build_file_with_its_sha256(
    built_dataset: Path, client: FlaskClient, name: str
) -> None:
    expected = (built_dataset / name).read_bytes()
    digest = hashlib.sha256(expected)
    plain = client.get(f"/download/{name}", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.data == expected
    encoded = base64.b64encode(digest.digest()).decode()
    assert plain.headers["Repr-Digest"] == f"sha-256=:{encoded}:"
    assert plain.headers["Digest"] == f"SHA-256={encoded}"
    checksum = client.get(f"/download/{name}.sha256").get_data(as_text=True)
    assert checksum == f"{digest.hexdigest()}  {name}\n"
    # gzip-compressed: the digest header describes the bytes as sent
    packed = client.get(f"/download/{name}", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.data) == expected
    packed_digest = base64.b64encode(hashlib.sha256(packed.data).digest()).decode()
    assert packed.headers["Repr-Digest"] == f"sha-256=:{packed_digest}:"
    again = client.get(
        f"/download/{name}", headers={"If-None-Match": plain.headers["ETag"], "Accept-Encoding": "identity"}
    )
    assert again.status_code == 304


def test_get_dataset_describes_its_dumps_in_dcat_with_checksums(
    built_dataset: Path, client: FlaskClient
) -> None:
    turtle = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    rows = {
        (r["url"].value, r["sum"].value, int(r["size"].value))
        for r in _query(
            turtle.data,
            """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
            PREFIX void: <http://rdfs.org/ns/void#>
            SELECT ?url ?sum ?size WHERE {
              <https://w3id.org/rlskg/dataset> a void:Dataset, dcat:Dataset ; void:dataDump ?url ;
                dcat:distribution [ dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum [
                  spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum ] ] }""",
        )
    }
    expected = {
        (BASE + "download/" + name, hashlib.sha256(data).hexdigest(), len(data))
        for name in ("dataset.nq", "dataset.trig")
        if (data := (built_dataset / name).read_bytes())
    }
    assert rows == expected


def _query(data: bytes, sparql: str) -> list[ox.QuerySolution]:
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TURTLE)
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def test_get_dataset_page_and_partitions(client: FlaskClient) -> None:
    page = client.get("/dataset", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'id="graph-nhs"' in page and 'href="/download/dataset.nq"' in page
    assert 'href="/dataset/class/rls-Association"' in page
    partition = client.get("/dataset/class/rls-Association", headers={"Accept": "text/turtle"})
    assert partition.status_code == 200 and b"void:class rls:Association" in partition.data
    html = client.get("/dataset/property/rls-subject", headers={"Accept": BROWSER})
    assert html.status_code == 200 and b"rls:subject" in html.data
    for path in ("/dataset/class/nothing", "/dataset/thing/rls-Association", "/download/other.nq"):
        assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404, path


def test_get_skolem_iri_is_303_to_the_triples_it_stands_in(built_dataset: Path, client: FlaskClient) -> None:
    genid = next(
        iri
        for iri in sorted(_iris((built_dataset / "dataset.nq").read_bytes(), ox.RdfFormat.N_QUADS))
        if "/.well-known/genid/" in iri
    )
    path = "/" + genid[len(BASE) :]
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["Location"] == "/doc" + path
    document = client.get("/doc" + path, headers={"Accept": "text/turtle"})
    assert document.status_code == 200 and genid.rsplit("/", 1)[-1].encode() in document.data
    page = client.get("/doc" + path, headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<h1>anonymous node</h1>" in page and "blank node" in page
