"""Red team I1: (a) nothing told an operator that writes to an in-memory store are lost when the
service stops; (b) behind a TLS proxy the service description and a Graph Store ``Location`` said
http://, since X-Forwarded-Proto was ignored (now believed with TRUSTED_PROXIES, and only then);
(c) the Graph Store ignored ``charset=``: a latin-1 Turtle body was parsed as UTF-8."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.data import SERVICE_DATA
from tests.support.server import ROOT, free_port, start_process, stop_process
from tests.support.service import TOKEN, bearer

VOLATILE = "acknowledged writes last only until"
TURTLE = "text/turtle"
HTTPS = {"X-Forwarded-Proto": "https"}


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_writes_to_an_in_memory_store_are_announced_as_volatile(
    build_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture, store: str
) -> None:
    with caplog.at_level(logging.WARNING):
        build_app(STORE=store, TOKEN=TOKEN)
    assert any(VOLATILE in message for message in _warnings(caplog)), _warnings(caplog)


def test_no_volatility_warning_when_read_only_or_on_disk(
    build_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    with caplog.at_level(logging.WARNING):
        build_app()
        build_app(STORE=f"oxigraph:{tmp_path / 'db'}", TOKEN=TOKEN)
    assert not any(VOLATILE in message for message in _warnings(caplog))


def test_rlskg_serve_announces_volatile_writes(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    command = [sys.executable, "-m", "rlskg", "serve", "--data", str(SERVICE_DATA), "--port", str(port)]
    env = {**os.environ, "RLSKG_TOKEN": TOKEN, "RLSKG_ACCESS_LOG": "false"}
    with log.open("wb") as stderr:
        process, _ = start_process(
            [*command, "--threads", "1"],
            f"http://127.0.0.1:{port}/health",
            30,
            log=log,
            cwd=ROOT,
            env=env,
            stdout=stderr,
            stderr=stderr,
        )
        stop_process(process)
    assert VOLATILE in log.read_text(errors="replace")


def _endpoint(client: FlaskClient, headers: dict[str, str]) -> str:
    response = client.get("/sparql", headers={"Accept": TURTLE, **headers})
    assert response.status_code == 200
    found = re.search(r"<([^>]*/sparql)>", response.get_data(as_text=True))
    assert found is not None
    return found.group(1)


def test_a_trusted_proxy_makes_written_urls_https(build_app: Callable[..., Flask]) -> None:
    client = build_app(TOKEN=TOKEN, TRUSTED_PROXIES=1).test_client()
    assert _endpoint(client, {}) == "http://localhost/sparql"  # first, so the cache holds it
    assert _endpoint(client, HTTPS) == "https://localhost/sparql"
    # X-Forwarded-Host is not believed: nginx passes Host itself, and forwards a client's own.
    assert _endpoint(client, {**HTTPS, "X-Forwarded-Host": "evil.example"}) == "https://localhost/sparql"
    created = _create_graph(client)
    assert created.headers["Location"].startswith("https://localhost/store?graph=")


def test_forwarding_headers_are_ignored_without_the_setting(build_app: Callable[..., Flask]) -> None:
    client = build_app(TOKEN=TOKEN).test_client()
    assert _endpoint(client, HTTPS) == "http://localhost/sparql"
    created = _create_graph(client)
    assert created.headers["Location"].startswith("http://localhost/store?graph=")


def _create_graph(client: FlaskClient) -> TestResponse:
    """A Graph Store PUT that creates a graph, sent as from behind a TLS proxy: 201."""
    created = client.put(
        "/store?graph=http://ex/g",
        data="<http://ex/s> <http://ex/p> 1 .",
        content_type=TURTLE,
        headers={**bearer(), **HTTPS},
    )
    assert created.status_code == 201
    return created


def _object(writer: FlaskClient) -> str:
    response = writer.get("/store?graph=http://ex/g", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("charset", ["latin-1", "ISO-8859-1", "utf-16", "cp1252"])
def test_the_graph_store_decodes_a_body_in_its_charset(writer: FlaskClient, charset: str) -> None:
    body = '<http://ex/s> <http://ex/p> "caf\u00e9 \u00e0 la cr\u00e8me" .'.encode(charset)
    response = writer.put(
        "/store?graph=http://ex/g", data=body, content_type=f"{TURTLE}; charset={charset}", headers=bearer()
    )
    assert response.status_code in (201, 204), response.data
    assert '"caf\u00e9 \u00e0 la cr\u00e8me"' in _object(writer)


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        ("us-ascii", '<http://ex/s> <http://ex/p> "\u00e9" .'.encode()),
        ("no-such-codec", b"<http://ex/s> <http://ex/p> 1 ."),
    ],
)
def test_a_body_its_charset_cannot_decode_is_refused(writer: FlaskClient, charset: str, body: bytes) -> None:
    response = writer.put(
        "/store?graph=http://ex/g", data=body, content_type=f"{TURTLE}; charset={charset}", headers=bearer()
    )
    assert response.status_code in (400, 415), response.status_code
    assert charset in response.get_data(as_text=True)
