"""``rlskg publish``: a build into real Oxigraph and Virtuoso servers over the Graph Store Protocol."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from rlskg.cli import main
from rlskg.graph.publish import PublishError, publish
from rlskg.graph.stores.auth import Credentials
from rlskg.graph.stores.http import request
from tests.support.server import free_port
from tests.support.stores import OxigraphServer, VirtuosoServer, start_oxigraph

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def remote_counts(query_url: str) -> dict[str, int]:
    reply = request(
        "POST",  # form-encoded: Virtuoso 7.2 never answers a query POSTed as application/sparql-query
        query_url,
        body=urlencode({"query": COUNTS}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
        timeout=10,
    )
    results = ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in results}


@pytest.mark.server
def test_publish_twice_gives_the_same_triple_counts(built_dataset: Path, tmp_path: Path) -> None:
    server = start_oxigraph(free_port(), tmp_path / "db")
    try:
        manifest = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
        result = CliRunner().invoke(main, ["publish", "--to", server.store, "--out", str(built_dataset)])
        assert result.exit_code == 0, result.output
        assert f"published {manifest['triples']} triples" in result.output
        first = remote_counts(server.query)
        assert first == manifest["graphs"]
        publish(built_dataset, server.store)
        assert remote_counts(server.query) == first
    finally:
        server.stop()


@pytest.mark.server
def test_publish_to_virtuoso_twice_gives_the_same_triple_counts(
    built_dataset: Path, virtuoso_server: VirtuosoServer
) -> None:
    """Published once by the fixture, once more here; its system graphs are private, so only ours show."""
    manifest = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
    assert remote_counts(virtuoso_server.query) == manifest["graphs"]
    result = CliRunner().invoke(main, ["publish", "--to", virtuoso_server.store, "--out", str(built_dataset)])
    assert result.exit_code == 0, result.output
    assert remote_counts(virtuoso_server.query) == manifest["graphs"]


def test_publish_to_an_unreachable_remote_fails_clearly(built_dataset: Path) -> None:
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(
        main, ["publish", "--to", f"http://127.0.0.1:{port}/store", "--out", str(built_dataset)]
    )
    assert result.exit_code == 1
    assert "cannot be reached" in result.output


@pytest.mark.server
def test_publish_to_a_refusing_remote_names_the_graph_and_status(
    built_dataset: Path, oxigraph_server: OxigraphServer
) -> None:
    with pytest.raises(PublishError, match=r"refused <https://w3id.org/rlskg/graph/\w+> with HTTP 4\d\d"):
        publish(built_dataset, oxigraph_server.query)  # the query endpoint takes no PUT


def test_publish_without_a_build_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--to", "http://127.0.0.1:9/store", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no dataset" in result.output


@pytest.mark.server
def test_publish_answers_virtuosos_digest_challenge(
    built_dataset: Path, virtuoso_server: VirtuosoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Virtuoso's authenticated Graph Store endpoint asks for Digest; the password comes from the
    environment."""
    guarded = f"{virtuoso_server.base}/sparql-graph-crud-auth"
    arguments = ["publish", "--to", guarded, "--out", str(built_dataset), "--user", "dba"]
    monkeypatch.setenv("RLSKG_PUBLISH_PASSWORD", "wrong-password")
    refused = CliRunner().invoke(main, arguments)
    assert refused.exit_code == 1 and "HTTP 401" in refused.output
    monkeypatch.setenv("RLSKG_PUBLISH_PASSWORD", "dba")
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    manifest = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
    assert remote_counts(virtuoso_server.query) == manifest["graphs"]


class BasicGuard(BaseHTTPRequestHandler):
    """Takes PUTs only with Basic credentials user:secret, and notes what each request carried."""

    seen: ClassVar[list[str | None]] = []

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        given = self.headers.get("Authorization")
        BasicGuard.seen.append(given)
        if given == "Basic " + base64.b64encode(b"user:secret").decode():
            self.send_response(204)
        else:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_basic_credentials_are_sent_only_when_asked(built_dataset: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BasicGuard)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        BasicGuard.seen = []
        endpoint = f"http://127.0.0.1:{server.server_port}/store"
        published = publish(built_dataset, endpoint, auth=Credentials("user", "secret"))
        assert published.triples > 0
        assert BasicGuard.seen[0] is None  # never sent up front
        assert all(given is not None for given in BasicGuard.seen[1::2])
        with pytest.raises(PublishError, match="HTTP 401"):
            publish(built_dataset, endpoint, auth=Credentials("user", "wrong"))
        with pytest.raises(PublishError, match="HTTP 401"):
            publish(built_dataset, endpoint)
    finally:
        server.shutdown()
        server.server_close()
