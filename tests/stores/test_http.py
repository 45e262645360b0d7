"""The remote stores' HTTP client against servers that misbehave in ways real ones do."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from rlskg.graph.stores.auth import Credentials
from rlskg.graph.stores.http import request

REFUSAL = (
    b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="store"\r\n'
    b"Content-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nunauthorized"
)


@pytest.fixture
def refusing_early() -> Iterator[str]:
    """A server that answers 401 as soon as it has the headers and hangs up without reading the
    body, as Virtuoso's Digest endpoint does: a client still sending a big upload then meets a
    broken pipe or a reset, though the answer is already on its way."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # the listener was closed: the test is over
                return
            with connection:
                head = b""
                while b"\r\n\r\n" not in head and (chunk := connection.recv(4096)):
                    head += chunk
                connection.sendall(REFUSAL)
                # Closing with the body unread makes the kernel send a reset.

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/store?graph=http://ex/g"
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept (close alone does not)
        listener.close()
        thread.join(5)


BIG = b"<http://ex/a> <http://ex/p> <http://ex/b> .\n" * 400_000  # 17 MB: more than the socket buffers


def test_an_answer_sent_before_the_body_was_read_is_the_reply(refusing_early: str) -> None:
    headers = {"Content-Type": "application/n-triples"}
    reply = request("PUT", refusing_early, body=BIG, headers=headers, timeout=10)
    assert (reply.status, reply.body) == (401, b"unauthorized")


def test_a_refused_challenge_answer_is_the_reply_too(refusing_early: str) -> None:
    reply = request("PUT", refusing_early, body=BIG, timeout=10, auth=Credentials("dba", "wrong"))
    assert reply.status == 401 and reply.headers["www-authenticate"].startswith("Basic")
