"""HTTP caching tied to the dataset version: ETags, 304s and Cache-Control.

A read answer depends only on the URL, the dataset version and the negotiation headers, so its
ETag is computed before any work, and a matching If-None-Match is answered 304 without evaluating.
The exceptions are queries whose answer may change with each evaluation (NOW(), RAND(), a SERVICE
call): those are marked ``no-store``, without an ETag.
Tags are weak: the same representation may be sent gzip- or brotli-compressed.
"""

from __future__ import annotations

import hashlib

from flask import Response
from werkzeug.wrappers import Request


def read_tag(version: str, request: Request, *extra: str) -> str:
    """The ETag of a read answer: the version, and a digest of what negotiation looked at."""
    varying = "\n".join((request.headers.get("Accept", ""), request.args.get("format", ""), *extra))
    return f"{version}-{hashlib.blake2b(varying.encode(), digest_size=6).hexdigest()}"


def is_cacheable(request: Request) -> bool:
    return request.method in ("GET", "HEAD")


def not_modified(request: Request, tag: str, max_age: int) -> Response | None:
    """A 304 answer when the client already holds this representation, else None."""
    if not is_cacheable(request) or not request.if_none_match.contains_weak(tag):
        return None
    return mark(Response(status=304), request, tag, max_age)


def mark(
    response: Response, request: Request, tag: str, max_age: int, *, repeatable: bool = True
) -> Response:
    """Set ETag, Cache-Control and Vary on a read answer (ETag for GET and HEAD only). An answer
    that is not ``repeatable`` (it may differ from one evaluation to the next) is never stored."""
    headers = response.headers
    headers["Vary"] = "Accept"
    if is_cacheable(request) and repeatable:
        headers["ETag"] = f'W/"{tag}"'
        headers["Cache-Control"] = f"public, max-age={max_age}"
    else:
        headers["Cache-Control"] = "no-store"
    return response


class ReadValidator:
    """The conditional-read steps of one read view: its ETag, a 304 before any work when the client
    holds that representation, and the caching headers on the answer made otherwise.

    ``extra``: what else the answer depends on (an endpoint URL, a chosen media type).
    """

    def __init__(
        self, request: Request, version: str, max_age: int, *extra: str, repeatable: bool = True
    ) -> None:
        self.request, self.max_age, self.repeatable = request, max_age, repeatable
        self.tag = read_tag(version, request, *extra)

    def not_modified(self) -> Response | None:
        """The 304 to send now, or None to go on and make the answer."""
        return not_modified(self.request, self.tag, self.max_age) if self.repeatable else None

    def mark(self, response: Response) -> Response:
        return mark(response, self.request, self.tag, self.max_age, repeatable=self.repeatable)
