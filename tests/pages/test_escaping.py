"""Labels are data, never markup: a label holding a script is shown as text everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rlskg.service import close_app, create_app
from tests.support.browser import BROWSER

EVIL = '<script>alert("x")</script>'
DATA = f"""
@prefix rls: <https://w3id.org/rlskg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix assoc: <https://w3id.org/rlskg/id/association/> .
rls:RestlessLegsSyndrome a owl:Class ; rdfs:label "restless legs syndrome"@en .
rls:Evil a owl:Class ; rdfs:label '{EVIL}'@en ; rdfs:subClassOf rls:RestlessLegsSyndrome .
assoc:evil a rls:Association ; rls:subject rls:Evil ; rls:predicate rls:causes ;
    rls:object rls:RestlessLegsSyndrome ; rls:sourceSection '{EVIL}' .
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    path: Path = tmp_path_factory.mktemp("evil") / "evil.ttl"
    path.write_text(DATA, encoding="utf-8")
    application = create_app({"DATA": [str(path)], "POOL_SIZE": 0, "ACCESS_LOG": False})
    yield application
    close_app(application)


@pytest.mark.parametrize(
    "path", ["/doc/ontology/Evil", "/doc/ontology/RestlessLegsSyndrome", "/search?q=script", "/"]
)
def test_get_page_escapes_a_script_label(client: FlaskClient, path: str) -> None:
    page = client.get(path, headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_get_query_page_escapes_a_script_query(client: FlaskClient) -> None:
    page = client.get("/query?query=" + EVIL.replace('"', "")).get_data(as_text=True)
    assert "<script>alert" not in page
