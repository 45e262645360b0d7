"""What wraps every request, in one place: the WSGI layers and the Flask hooks, and their order.

From the outside in (``install`` stacks them; each wraps the next):

1. Werkzeug's ``ProxyFix``, only with TRUSTED_PROXIES > 0: the client's scheme and address as the
   proxies in front report them (``X-Forwarded-Proto``, ``X-Forwarded-For``), so that the URLs the
   service writes (the service description's endpoint, a Graph Store ``Location``) say https
   behind a TLS proxy, and the cache keys and access log see them too. ``X-Forwarded-Host`` is not
   believed: the documented nginx passes ``Host`` itself and forwards a client's X-Forwarded-Host.
2. ``observer.Observer``: counts, times and logs every request, cache hits included.
3. ``response_cache.ResponseCache``: answers a repeated shareable GET from memory.
4. ``transport.CorsMiddleware``: CORS headers on every answer (so cached answers carry them too).
5. ``service.protocol.query_route.QueryRoute``: answers GET and HEAD queries to /sparql with the
   Flask view's own steps, without Flask's per-request machinery; passes everything else on.
6. Flask: ``before_request`` note the route (metrics) and refuse a too-long URL (414), the view,
   then ``after_request`` compress (brotli or gzip).

The cache sits outside CORS and compression, so that it keeps their output and replays it as sent.
"""

from __future__ import annotations

from functools import partial

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from rlskg.service import metrics
from rlskg.service.middleware import transport
from rlskg.service.middleware.observer import Observer
from rlskg.service.middleware.response_cache import ResponseCache
from rlskg.service.state import ServiceState


def install(app: Flask, state: ServiceState) -> None:
    """Wrap ``app`` in the layers above, as ``state.settings`` asks."""
    settings = state.settings
    app.before_request(metrics.note_route)  # first, so that even a refused request has its route
    app.before_request(partial(transport.limit_url, settings.max_request_bytes))

    @app.after_request
    def compress(response: Response) -> Response:
        transport.compress(response, settings.compress_min_bytes, request)
        return response

    from rlskg.service.protocol.query_route import QueryRoute  # imports the protocol: not at the top

    app.wsgi_app = QueryRoute(app, state, app.wsgi_app)  # type: ignore[method-assign]
    app.wsgi_app = transport.CorsMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    if settings.response_cache_bytes:
        cache = ResponseCache(app.wsgi_app, lambda: state.store.version, settings.response_cache_bytes)
        app.wsgi_app = cache  # type: ignore[method-assign]
    app.wsgi_app = Observer(app.wsgi_app, state.metrics, settings.access_log)  # type: ignore[method-assign]
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0)  # type: ignore[method-assign]
