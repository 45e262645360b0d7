"""Writes without a token, with a wrong one, with one in the URL, or to a read-only service: each is
refused, and the store's triple count and version stay as they were."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.support.service import TOKEN, snapshot

TURTLE = b"<http://ex/s> <http://ex/p> <http://ex/o> ."
UPDATE = "INSERT DATA { <http://ex/s> <http://ex/p> <http://ex/o> }"
WRITES: list[tuple[str, str, dict[str, object]]] = [
    ("PUT", "/store?graph=http://ex/g", {"data": TURTLE, "content_type": "text/turtle"}),
    ("POST", "/store?graph=http://ex/g", {"data": TURTLE, "content_type": "text/turtle"}),
    ("PUT", "/store?default", {"data": TURTLE, "content_type": "text/turtle"}),
    ("DELETE", "/store?graph=https://w3id.org/rlskg/graph/nhs", {}),
    ("DELETE", "/store?default", {}),
    ("POST", "/update", {"data": {"update": UPDATE}}),
    ("POST", "/update", {"data": UPDATE, "content_type": "application/sparql-update"}),
    ("POST", "/sparql", {"data": {"update": UPDATE}}),
    ("POST", "/sparql", {"data": "CLEAR ALL", "content_type": "application/sparql-update"}),
]
CREDENTIALS = {
    "none": {},
    "wrong": {"Authorization": "Bearer not-the-token"},
    "prefix": {"Authorization": f"Bearer {TOKEN[:-1]}"},
    "longer": {"Authorization": f"Bearer {TOKEN}x"},
    "basic": {"Authorization": f"Basic {TOKEN}"},
    "empty": {"Authorization": "Bearer "},
    "non-ascii": {"Authorization": "Bearer \u00e9\u00e9\u00e9"},
}


def _send(
    application: Flask, method: str, path: str, options: dict[str, object], headers: dict[str, str]
) -> int:
    response = application.test_client().open(path, method=method, headers=headers, **options)  # type: ignore[arg-type]
    return response.status_code


@pytest.mark.parametrize(("method", "path", "options"), WRITES)
@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
def test_write_with_missing_or_wrong_token_is_401_and_writes_nothing(
    writable_app: Flask, method: str, path: str, options: dict[str, object], credential: str
) -> None:
    before = snapshot(writable_app)
    assert _send(writable_app, method, path, options, CREDENTIALS[credential]) == 401
    assert snapshot(writable_app) == before


@pytest.mark.parametrize(("method", "path", "options"), WRITES)
@pytest.mark.parametrize("parameter", ["access_token", "token", "Authorization"])
def test_write_with_token_in_query_string_is_refused_and_writes_nothing(
    writable_app: Flask, method: str, path: str, options: dict[str, object], parameter: str
) -> None:
    before = snapshot(writable_app)
    joined = "&" if "?" in path else "?"
    status = _send(writable_app, method, f"{path}{joined}{parameter}={TOKEN}", options, {})
    assert status in (400, 401)
    assert snapshot(writable_app) == before


@pytest.mark.parametrize(("method", "path", "options"), WRITES)
def test_write_to_read_only_service_is_403_and_writes_nothing(
    build_app: Callable[..., Flask], method: str, path: str, options: dict[str, object]
) -> None:
    application = build_app()  # no TOKEN: read-only
    before = snapshot(application)
    assert _send(application, method, path, options, {"Authorization": f"Bearer {TOKEN}"}) == 403
    assert snapshot(application) == before


def test_write_with_token_in_form_body_is_refused(writable_app: Flask) -> None:
    before = snapshot(writable_app)
    response = writable_app.test_client().post("/update", data={"update": UPDATE, "access_token": TOKEN})
    assert response.status_code == 401
    assert snapshot(writable_app) == before


def test_short_token_is_refused_at_start(build_app: Callable[..., Flask]) -> None:
    with pytest.raises(ValueError, match="at least 8"):
        build_app(TOKEN="short")
