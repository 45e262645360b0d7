"""Request metrics (Prometheus): the registry, and what views leave for the metrics and the access log.

Views leave what only they know (time in the store, the query, a store error) in the WSGI environ
under ``rlskg.*`` keys (Werkzeug's convention, e.g. ``werkzeug.profiler``); the outermost WSGI
wrapper, ``rlskg.service.middleware.observer``, reads them once the answer is sent. Each app has
its own registry, so tests never share counters. Each worker reports its own figures (label
``worker``, the process id); when a server runs several, ``share_across_workers`` has them written
to memory-mapped files that /metrics in any worker reads together (prometheus_client's
multiprocess mode), so that every scrape shows every worker.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
STORE_MS, QUERY_TEXT, STORE_ERROR, ROUTE = "rlskg.store_ms", "rlskg.query", "rlskg.store_error", "rlskg.route"
# Methods that keep their own label; any other token a client sends as a method is counted as
# "other", or each invented name would add a series that lives as long as the worker.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"})
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's name for the files' folder
CACHE = (
    "rlskg.cache"  # "hit", or "miss" for a shareable answer made afresh (service.middleware.response_cache)
)


def note(environ: dict[str, Any], key: str, value: object) -> None:
    """Leave a fact about a request (its WSGI ``environ``) for the metrics and the access log."""
    environ[key] = value


@contextmanager
def store_timer(environ: dict[str, Any]) -> Iterator[None]:
    """Time the store call in the ``with`` block, for the access log."""
    started = time.perf_counter()
    try:
        yield
    finally:
        environ[STORE_MS] = round((time.perf_counter() - started) * 1000, 2)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.worker = str(os.getpid())
        self.requests = Counter(
            "rlskg_http_requests",
            "HTTP requests answered",
            ["worker", "route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "rlskg_http_request_duration_seconds",
            "Time to answer a request",
            ["worker", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "rlskg_http_requests_in_flight",
            "Requests being answered",
            ["worker"],
            registry=self.registry,
            multiprocess_mode="livesum",  # across workers: those alive only
        ).labels(self.worker)
        self.timeouts = Counter(
            "rlskg_query_timeouts", "Queries stopped at the time limit", ["worker"], registry=self.registry
        ).labels(self.worker)
        lookups = Counter(
            "rlskg_response_cache_lookups",
            "Shareable GET and HEAD answers, by whether the response cache held them",
            ["worker", "outcome"],
            registry=self.registry,
        )
        self.cache = {outcome: lookups.labels(self.worker, outcome) for outcome in ("hit", "miss")}
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:  # labels() takes a lock and hashes the labels: do it once per key
            children = (
                self.requests.labels(self.worker, route, method, str(status)),
                self.latency.labels(self.worker, route),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


def share_across_workers(folder: str) -> None:
    """Have the metrics of every process forked from now on written to files in ``folder``, for
    ``exposition`` to read together. Called in a server's main process, before its workers fork."""
    os.environ[MULTIPROCESS_DIR] = folder
    # prometheus_client picks how values are kept when it is imported, which came first here.
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]


def exposition(registry: CollectorRegistry) -> bytes:
    """The Prometheus text of ``registry``, or of every worker's files under multiprocess mode."""
    folder = os.environ.get(MULTIPROCESS_DIR)
    if not folder:
        return generate_latest(registry)
    for path in Path(folder).glob("gauge_live*_*.db"):  # a worker that died: its gauges no longer count
        pid = int(path.stem.rsplit("_", 1)[1])
        if not Path(f"/proc/{pid}").exists():
            multiprocess.mark_process_dead(pid, folder)  # type: ignore[no-untyped-call]
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined, folder)  # type: ignore[no-untyped-call]
    return generate_latest(combined)


def note_route() -> None:
    """A ``before_request`` hook: the route pattern, never the raw path (unknown paths would make
    endless label values). Flask drops its request object before the wrapper could ask it."""
    rule = request.url_rule
    request.environ[ROUTE] = rule.rule if rule is not None else "unmatched"
