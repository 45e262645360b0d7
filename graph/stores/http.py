"""A small HTTP client for remote stores: one request, a total deadline, a cap on the body.

Built on ``http.client`` so that the deadline covers connecting, waiting and reading (urllib's
timeout covers each socket operation, not the whole exchange). Loopback and plain http are fine:
a remote store is the operator's choice, unlike SERVICE targets a client sends.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from rlskg.graph.stores.auth import Credentials, authorization
from rlskg.graph.stores.base import QueryTimeout, StoreUnavailable, too_large

CHUNK = 1 << 16
CONNECT_TIMEOUT = 5.0  # seconds, also the limit of a request that has no deadline of its own


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def text(self, limit: int = 500) -> str:
        """The body as a message: decoded, on one line, shortened."""
        shown = " ".join(self.body.decode("utf-8", "replace").split())
        return shown if len(shown) <= limit else shown[:limit] + "..."


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    auth: Credentials | None = None,
) -> Reply:
    """Send one request and read the whole answer before ``timeout`` seconds have passed. With
    ``auth``, a 401 that asks for Basic or Digest is answered once, with the same body.

    :raises StoreUnavailable: the remote cannot be reached, or hangs up.
    :raises QueryTimeout: the answer did not come in time (the connection is closed).
    :raises ResultTooLarge: the body grew past ``max_bytes`` (the connection is closed).
    """
    reply = _exchange(method, url, body, headers or {}, timeout, max_bytes)
    challenge = reply.headers.get("www-authenticate")
    if reply.status != 401 or auth is None or challenge is None:
        return reply
    answer = authorization(auth, challenge, method, url)
    if answer is None:
        return reply
    return _exchange(method, url, body, {**(headers or {}), "Authorization": answer}, timeout, max_bytes)


def _exchange(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    timeout: float | None,
    max_bytes: int | None,
) -> Reply:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreUnavailable(f"{url}: not an http(s) URL")
    started = time.monotonic()
    deadline = started + (timeout if timeout is not None else 60.0)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=min(CONNECT_TIMEOUT, deadline - started))
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        # A remote may answer before it has read the body (Virtuoso's 401 to an upload) and hang
        # up: its answer is still there to read. Where there is none, reading it says so.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(method, target, body=body, headers=headers)
        _extend(connection, deadline, timeout)
        response = connection.getresponse()
        chunks, size = [], 0
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise too_large(max_bytes)
            chunks.append(chunk)
            _extend(connection, deadline, timeout)
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, b"".join(chunks))
    except TimeoutError:
        if timeout is None or time.monotonic() < deadline - 0.001:
            raise StoreUnavailable(f"the remote store at {_origin(url)} does not answer") from None
        raise QueryTimeout(f"the query ran past the time limit of {timeout:g} s and was stopped") from None
    except (OSError, http.client.HTTPException) as error:
        raise StoreUnavailable(f"the remote store at {_origin(url)} cannot be reached: {error}") from None
    finally:
        connection.close()  # past a deadline or a cap: the remote sees the hang-up


def _extend(connection: http.client.HTTPConnection, deadline: float, timeout: float | None) -> None:
    """Give the socket what is left of the deadline (raising once it has passed)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        sock: socket.socket = connection.sock
        sock.settimeout(left if timeout is not None else max(left, CONNECT_TIMEOUT))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
