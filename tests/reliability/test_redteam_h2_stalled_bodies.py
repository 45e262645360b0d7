"""Red team H2: a handful of clients whose request bodies stop arriving do not stop the service.

Before: a worker had 4 request threads, and a stalled body holds its thread until the client hangs
up (granian sets no read timeout on a WSGI body, and none can be set from the app): 4 connections
that sent 3 of 100 announced bytes stopped /health until they closed. Now a worker has 32 request
threads, more than the evaluators it may run, so a handful of stalled bodies leaves /health and
queries answered. Past 31 per worker they still stop it: that case is the proxy's to stop (nginx
buffers whole bodies before passing them on, and drops clients past client_body_timeout), as
SECURITY.md says.
"""

from __future__ import annotations

import socket
import time
import urllib.parse

from tests.support.server import start, stop
from tests.support.service import COUNT

STALLED = 8  # twice the red team's four


def test_a_handful_of_stalled_bodies_leaves_health_and_queries_answered() -> None:
    server = start("--workers", "1")
    connections = []
    try:
        for _ in range(STALLED):
            connection = socket.create_connection(("127.0.0.1", server.port))
            connection.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK"
            )
            connections.append(connection)
        time.sleep(0.5)  # the server has read the headers and started waiting for the rest
        for path in ("/health", "/sparql?" + urllib.parse.urlencode({"query": COUNT})):
            began = time.monotonic()
            status = server.request("GET", path, {"Accept": "text/csv"})[0]
            assert status == 200 and time.monotonic() - began < 2.0, path
    finally:
        for connection in connections:
            connection.close()
        stop(server)
