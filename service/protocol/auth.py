"""The write check: a bearer token, compared in constant time.

No token configured: the service is read-only and every write is 403. A token configured: a write
without it, or with another, is 401 with a Bearer challenge.
"""

from __future__ import annotations

import hmac

from flask import request

from rlskg.service import errors


def require_token(token: str | None) -> None:
    """Return when the request may write; raise 403 or 401 otherwise."""
    if token is None:
        errors.read_only()
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        errors.unauthorized("this write needs 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        errors.unauthorized("the bearer token is not valid", error="invalid_token")
