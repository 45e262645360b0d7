"""A canary: an HTTP server on loopback that counts every request made to it and answers each
with a SPARQL result holding the word INTERNAL. A SERVICE or LOAD that reaches it shows as a hit."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

ANSWER = (
    b'{"head":{"vars":["secret"]},"results":{"bindings":[{"secret":{"type":"literal","value":"INTERNAL"}}]}}'
)


class Canary(http.server.ThreadingHTTPServer):
    hits: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        assert isinstance(self.server, Canary)
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def running_canary() -> Iterator[Canary]:
    server = Canary(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
