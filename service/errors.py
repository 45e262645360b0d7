"""Every error answer, in one place: named helpers to raise, one table for store errors, one renderer.

Bodies are plain text, or JSON ``{"error": {"status", "title", "message"}}`` when the client prefers
JSON, or, for a browser (it names HTML and does not prefer JSON), the site's error page
(``service/pages/templates/error.html``: the message as text, escaped, and links back into the
site), on every route, unknown routes included. No body ever carries a stack trace; anything
unexpected is logged and answered with a bare 500.
"""

from __future__ import annotations

import json
import logging
from typing import NoReturn

from flask import Flask, Response, current_app, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    NotAcceptable,
    RequestEntityTooLarge,
    RequestURITooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from werkzeug.http import HTTP_STATUS_CODES

from rlskg.graph import stores
from rlskg.service.metrics import STORE_ERROR

log = logging.getLogger("rlskg.service")

# Store errors by HTTP status. User input (a bad query, bad data, a format we lack) is 4xx; a
# query stopped for its cost is 503; only an evaluator crash is 500.
STORE_ERRORS: dict[type[stores.StoreError], int] = {
    stores.QuerySyntaxError: 400,
    stores.EvaluationError: 400,
    stores.DataSyntaxError: 400,
    stores.GraphNotFound: 404,
    stores.NotAcceptable: 406,
    stores.UnsupportedFormat: 415,
    stores.QueryTimeout: 503,
    stores.ResultTooLarge: 503,
    stores.StoreUnavailable: 503,
    stores.ForeignData: 409,
    stores.StoreCrashed: 500,
}


def bad_request(message: str) -> NoReturn:
    raise BadRequest(message)


def forbidden(message: str) -> NoReturn:
    raise Forbidden(message)


def read_only() -> NoReturn:
    raise Forbidden("this service is read-only: start it with a token (RLSKG_TOKEN) to allow writes")


def unauthorized(message: str, error: str | None = None) -> NoReturn:
    """401 with a Bearer challenge (RFC 6750); ``error`` is e.g. ``invalid_token``."""
    params: dict[str, str | None] = {"realm": "rlskg"}
    if error:
        params["error"] = error
    raise Unauthorized(message, www_authenticate=WWWAuthenticate("Bearer", params))


def not_acceptable(message: str) -> NoReturn:
    raise NotAcceptable(message)


def unsupported_media_type(message: str) -> NoReturn:
    raise UnsupportedMediaType(message)


def too_large(message: str) -> NoReturn:
    raise RequestEntityTooLarge(message)


def uri_too_long(limit: int) -> NoReturn:
    raise RequestURITooLarge(f"the request URL is longer than the limit of {limit} bytes")


def _wants_json() -> bool:
    accept = request.accept_mimetypes
    return accept.provided and accept.quality("application/json") > accept.quality("text/plain")


def wants_html() -> bool:
    """A browser: it names HTML (``*/*`` does not count) and does not rank JSON above it.

    A program that sends ``Accept: text/html`` alone gets the page too, which is what it asked for.
    """
    named = {item.split(";", 1)[0].strip().lower(): q for item, q in request.accept_mimetypes}
    html = max(named.get("text/html", 0), named.get("application/xhtml+xml", 0))
    return html > 0 and html >= named.get("application/json", 0)


def _page(status: int, title: str, message: str) -> Response | None:
    """The site's error page, or None when the app has no such template (an app without pages)."""
    try:
        body = render_template("error.html", status=status, title=title, message=message)
    except TemplateNotFound:
        return None
    except Exception:  # an error page must never fail: the text answer instead
        log.exception("the error page failed to render")
        return None
    return Response(body, status, content_type="text/html; charset=utf-8")


def render(status: int, title: str, message: str, kind: str | None = None) -> Response:
    """An error response in the client's preferred form (an HTML page, JSON or plain text).
    ``kind``: a store error's class (QuerySyntaxError, EvaluationError, ...), in JSON, for programs
    that tell a malformed query from one that failed to run."""
    page = _page(status, title, message) if wants_html() else None
    if page is not None:
        response = page
    elif _wants_json():
        fields = {"status": status, "title": title, "message": message}
        if kind is not None:
            fields["kind"] = kind
        body = json.dumps({"error": fields})
        response = Response(body + "\n", status, content_type="application/json")
    else:
        response = Response(
            f"{status} {title}: {message}\n", status, content_type="text/plain; charset=utf-8"
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    message = error.description or error.name
    if isinstance(error, RequestEntityTooLarge) and message == RequestEntityTooLarge.description:
        message = (
            f"the request body is larger than the limit of {current_app.config['MAX_CONTENT_LENGTH']} bytes"
        )
    response = render(status, error.name, message)
    for key, value in error.get_headers():
        if key in ("WWW-Authenticate", "Allow"):
            response.headers.add(key, value)
    if status == 503:
        response.headers["Retry-After"] = "1"
    return response


def store_status(error: stores.StoreError) -> int:
    """The HTTP status of a store error: its class's, or its nearest ancestor's in STORE_ERRORS."""
    return next((STORE_ERRORS[kind] for kind in type(error).__mro__ if kind in STORE_ERRORS), 500)


def _store_error(error: stores.StoreError) -> Response:
    status = store_status(error)
    request.environ[STORE_ERROR] = type(error).__name__  # for the metrics and the access log
    if status == 500:  # a crash below us; timeouts and size limits are the client's, and logged as such
        log.error("store error: %s", error)
    response = render(status, HTTP_STATUS_CODES[status], str(error), type(error).__name__)
    if status == 503:
        response.headers["Retry-After"] = "1"
    return response


def _unexpected(error: InternalServerError) -> Response:
    original = getattr(error, "original_exception", None)
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=original or error)
    return render(500, "Internal Server Error", "the service failed to answer; the error has been logged")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(stores.StoreError, _store_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(HTTPException, _http_error)
