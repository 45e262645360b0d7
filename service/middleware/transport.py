"""What every response gets: CORS, compression, and a limit on URL length.

CORS is open (``*``): the data is public, and writes need a bearer token that a browser never sends
on its own. It is added by a small WSGI wrapper, which costs a list append per response where
werkzeug's header setters cost microseconds each. Compression is brotli or gzip, whichever the
client ranks higher (brotli on a tie), for text bodies past a threshold; zlib and brotli release
the GIL, so big bodies compress in parallel.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from typing import Any

import brotli
from flask import request
from werkzeug.wrappers import Request, Response

from rlskg.service import errors

CORS = [
    ("Access-Control-Allow-Origin", "*"),
    (
        "Access-Control-Expose-Headers",
        "ETag, Content-Length, Content-Encoding, Retry-After, WWW-Authenticate",
    ),
]
PREFLIGHT = [
    ("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, If-None-Match"),
    ("Access-Control-Max-Age", "86400"),
]
COMPRESSIBLE = (
    "text/",
    "application/sparql-results",
    "application/n-",
    "application/trig",
    "application/rdf+xml",
    "application/ld+json",
    "application/json",
)


class CorsMiddleware:
    """Adds the CORS headers to every response, and to a preflight the methods it may use."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        preflight = environ.get("REQUEST_METHOD") == "OPTIONS"

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.extend(CORS)
            if preflight:
                allow = next((v for k, v in headers if k.lower() == "allow"), "GET, HEAD, OPTIONS")
                headers.extend([("Access-Control-Allow-Methods", allow), *PREFLIGHT])
            return start_response(status, headers, exc_info)

        result: Iterable[bytes] = self.app(environ, start)
        return result


def _encoding(request: Request) -> str | None:
    accepted = request.accept_encodings
    br, gz = accepted.quality("br"), accepted.quality("gzip")
    if br <= 0 and gz <= 0:
        return None
    return "br" if br >= gz else "gzip"


def compress(response: Response, min_bytes: int, request: Request) -> None:
    """Compress a buffered text body of at least ``min_bytes`` when the client of ``request``
    accepts it."""
    length = response.content_length  # None for a streamed body: left alone
    if (
        length is None
        or length < min_bytes
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or not (response.content_type or "").startswith(COMPRESSIBLE)
    ):
        return
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    encoding = _encoding(request)
    if encoding is None:
        return
    response.direct_passthrough = False  # a static file (send_file) is read here to be compressed
    body = response.get_data()
    # Fast settings: the body is on the request path, and these levels keep most of the gain.
    if encoding == "br":
        data = brotli.compress(body, quality=4)
    else:
        data = gzip.compress(body, compresslevel=5, mtime=0)
    response.set_data(data)
    response.headers["Content-Encoding"] = encoding


def limit_url(max_url_bytes: int) -> None:
    """A ``before_request`` check: 414 for a query string longer than ``max_url_bytes``."""
    if len(request.query_string) > max_url_bytes:
        errors.uri_too_long(max_url_bytes)
