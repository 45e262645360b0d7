"""The outermost WSGI wrapper: counts, times and logs every request (Prometheus, JSON access log).

A wrapper rather than Flask hooks: it reads the WSGI environ and the status line directly, where
Flask's request proxies cost a microsecond or more per attribute on every request. What only a view
knows (time in the store, the query, a store error) it finds in the environ (``rlskg.service.metrics``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from logging import INFO
from typing import Any

from rlskg.graph.stores import QueryTimeout
from rlskg.service.metrics import CACHE, QUERY_TEXT, ROUTE, STORE_ERROR, STORE_MS, Metrics
from rlskg.service.middleware.log_buffer import BufferedStreamHandler

access_log = logging.getLogger("rlskg.access")


class Observer:
    """WSGI wrapper: counts, times and logs every request."""

    def __init__(self, app: Callable[..., Iterable[bytes]], metrics: Metrics, log_access: bool) -> None:
        self.app, self.metrics, self.log_access = app, metrics, log_access

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        sent: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        self.metrics.in_flight.inc()
        try:
            return self.app(environ, start)
        finally:
            self.metrics.in_flight.dec()
            seconds = time.perf_counter() - started
            status = int(sent[0][:3]) if sent else 500
            route = environ.get(ROUTE, "unmatched")
            self.metrics.observe(route, environ["REQUEST_METHOD"], status, seconds)
            if environ.get(STORE_ERROR) == QueryTimeout.__name__:
                self.metrics.timeouts.inc()
            cache = environ.get(CACHE)
            if cache is not None:
                self.metrics.cache[cache].inc()
            if self.log_access:
                self._log(environ, route, status, sent[1] if sent else [], seconds)

    @staticmethod
    def _log(
        environ: dict[str, Any], route: str, status: int, headers: list[tuple[str, str]], seconds: float
    ) -> None:
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "remote": environ.get("REMOTE_ADDR"),
            "method": environ["REQUEST_METHOD"],
            "path": environ.get("PATH_INFO"),
            "route": route,
            "status": status,
            "bytes": int(length) if length else None,
            "ms": round(seconds * 1000, 2),
            "store_ms": environ.get(STORE_MS),
            "error": environ.get(STORE_ERROR),
            "cache": environ.get(CACHE),
            "query": environ.get(QUERY_TEXT),
            "agent": (environ.get("HTTP_USER_AGENT") or "")[:200] or None,
        }
        line = json.dumps(entry, separators=(",", ":"))
        handlers = access_log.handlers
        if len(handlers) == 1 and isinstance(handlers[0], BufferedStreamHandler) and access_log.level <= INFO:
            handlers[0].write_line(line)  # the default handler alone: no LogRecord to make (~25 us)
        else:
            access_log.info(line)
