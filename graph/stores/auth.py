"""HTTP authentication to a remote store: Basic or Digest, whichever the remote asks for.

Stores that guard writes with a user and password ask in different ways: Fuseki (Shiro) and
GraphDB with Basic, Virtuoso's ``/sparql-graph-crud-auth`` with Digest. The credentials are sent
only in answer to a 401 that names the scheme, never up front, so a Digest remote never sees the
password in Basic form. Digest answers are computed by the standard library's
``urllib.request.AbstractDigestAuthHandler`` (RFC 7616: MD5 or SHA-256, qop ``auth``).
"""

from __future__ import annotations

import base64
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class RemoteAccess:
    """How the service proves itself to a remote store: a bearer token sent with every request,
    and/or credentials sent in answer to a challenge."""

    token: str | None = field(default=None, repr=False)
    credentials: Credentials | None = None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


class _Digest(urllib.request.AbstractDigestAuthHandler):
    """The stdlib's Digest computation, fed one challenge at a time (no opener, no retries)."""


def authorization(credentials: Credentials, challenge: str, method: str, url: str) -> str | None:
    """The ``Authorization`` value answering ``challenge`` (a ``WWW-Authenticate`` value) for a
    ``method`` request to ``url``; None for a scheme other than Basic or Digest.

    >>> authorization(Credentials("dba", "dba"), 'Basic realm="SPARQL"', "PUT", "http://h/g")
    'Basic ZGJhOmRiYQ=='
    """
    scheme, _, parameters = challenge.strip().partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode("ascii")
        return f"Basic {token}"
    if scheme.lower() != "digest":
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, credentials.user, credentials.password)
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))
    answer = _Digest(passwords).get_authorization(urllib.request.Request(url, method=method), fields)
    return None if answer is None else f"Digest {answer}"
