"""Red team M1: every HTTP method name a client invents used to add a ``rlskg_http_requests``
series (and a cached child) for the life of the worker; 20,000 of them made /metrics 45 MB. Now
the standard methods keep their label and every other name is counted as "other"."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

METHOD = re.compile(r'^rlskg_http_requests_total\{[^}]*method="([^"]*)"', re.MULTILINE)
STANDARD = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"}


def _method_labels(app: Flask) -> set[str]:
    return set(METHOD.findall(app.test_client().get("/metrics").get_data(as_text=True)))


def test_invented_method_names_share_one_label(build_app: Callable[..., Flask]) -> None:
    app = build_app()
    client = app.test_client()
    client.get("/health")
    before = _method_labels(app)
    for n in range(300):
        response = client.open("/sparql", method=f"X-INVENTED-{n}")
        assert response.status_code < 500
    added = _method_labels(app) - before
    assert len(added) <= 1, f"{len(added)} new method labels, e.g. {sorted(added)[:3]}"
    assert added <= {"other"}


def test_standard_methods_keep_their_own_label(build_app: Callable[..., Flask]) -> None:
    app = build_app()
    client = app.test_client()
    for method in STANDARD:
        client.open("/sparql", method=method)
    assert _method_labels(app) >= STANDARD
