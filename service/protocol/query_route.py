"""GET and HEAD queries to /sparql, answered as a plain WSGI call outside Flask's request machinery.

Most requests a SPARQL service gets are small queries sent by GET, and for those Flask's
per-request work (application and request contexts, URL routing, signals, hooks) cost about as
much as the query itself (bench/serve_profile.py). This layer answers them with the very steps of
the Flask view, ``query.answer_query``: only the request object differs (werkzeug's own, with no
context pushed). It keeps the view's hooks in the same order: the route for the metrics, the URL
limit (a longer URL goes to Flask, which says 414), the view, then compression.

Everything else goes to Flask unchanged: other paths and methods, a GET without a query (the
service description), and every error, which Flask's handlers render from the same exception
(``_flask_error``): an error answer is the same whichever layer met it, and nothing is evaluated
twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.wrappers import Request, Response

from rlskg.service.metrics import ROUTE
from rlskg.service.middleware import transport
from rlskg.service.protocol.operation import read_operation
from rlskg.service.protocol.query import answer_query
from rlskg.service.state import ServiceState

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
PATH = "/sparql"


class QueryRoute:
    """WSGI layer: answers GET and HEAD queries to /sparql itself; passes the rest to ``flask_wsgi``
    (the Flask app's own ``wsgi_app``)."""

    def __init__(self, app: Flask, state: ServiceState, flask_wsgi: WSGIApp) -> None:
        self.app, self.state, self.flask_wsgi = app, state, flask_wsgi
        self.max_url = state.settings.max_request_bytes
        self.compress_min = state.settings.compress_min_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or len(environ.get("QUERY_STRING", "")) > self.max_url
        ):
            return self.flask_wsgi(environ, start_response)
        request = Request(environ)
        response: Response
        try:
            operation = read_operation(request)
            if operation is None or operation.kind != "query":  # the description; a GET update's 400
                return self.flask_wsgi(environ, start_response)
            environ[ROUTE] = PATH
            response = answer_query(request, operation, self.state)
            transport.compress(response, self.compress_min, request)
        except Exception as error:
            environ[ROUTE] = PATH
            response = self._flask_error(environ, error)
        return response(environ, start_response)

    def _flask_error(self, environ: dict[str, Any], error: Exception) -> Response:
        """The answer Flask gives when its view raises ``error``: its error handlers (which read
        the request: the client's Accept picks the error's form), then its after-request hooks."""
        app = self.app
        with app.request_context(environ):
            try:
                result = app.handle_user_exception(error)
            except Exception as unhandled:
                result = app.handle_exception(unhandled)
            return app.finalize_request(result)
