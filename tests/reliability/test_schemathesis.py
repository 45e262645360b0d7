"""Schemathesis against the service's own OpenAPI document, in-process over WSGI, bounded."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    status_code_conformance,
)

from rlskg.service.protocol import negotiation
from tests.support.service import TOKEN, make_app

TEXT_BODIES = sorted(
    {"application/sparql-query", "application/sparql-update"}
    | {t for t in negotiation.RDF_INPUT_TYPES if "json" not in t and "xml" not in t}
)


@schemathesis.serializer(*TEXT_BODIES)
def _text_body(ctx: object, value: object) -> bytes:
    """SPARQL and RDF bodies are text; the generated value may be any JSON value."""
    return (value if isinstance(value, str) else str(value)).encode()


APP = make_app(TOKEN=TOKEN, QUERY_TIMEOUT=1.0, POOL_SIZE=2, MAX_REQUEST_BYTES=100_000)
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)


def _not_a_server_error(ctx: object, response: object, case: object) -> bool:
    """Never a 5xx but the documented 503 (time limit, size limit, busy)."""
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500 or status == 503, f"{case}: {status}"
    return True


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=5000,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_and_never_fails(case: schemathesis.Case[Any]) -> None:
    response = case.call()
    _not_a_server_error(None, response, case)
    case.validate_response(
        response,
        checks=[status_code_conformance, content_type_conformance, response_headers_conformance],
    )
