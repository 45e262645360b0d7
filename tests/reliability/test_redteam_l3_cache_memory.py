"""Red team L3: the response cache counted only the bytes of an entry's body, key and headers,
not the Python objects that hold them (a str's 49-byte header, the tuples, the entry, its
OrderedDict slot). For small answers it held about 2.3 times its byte budget (tracemalloc; 3.5
times in RSS). Filled with thousands of small distinct answers through the real app, what it
holds must now stay within the budget."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Flask

BUDGET = 1_000_000
JSON = {"Accept": "application/sparql-results+json"}


def _cache(app: Flask) -> Any:
    layer: Any = app.wsgi_app
    while not hasattr(layer, "max_bytes"):  # the WSGI wrappers keep the next one as .app
        layer = layer.app
    return layer


def test_the_cache_holds_no_more_memory_than_its_budget(build_app: Callable[..., Flask]) -> None:
    app = build_app(RESPONSE_CACHE_BYTES=BUDGET, POOL_SIZE=0)
    client, cache = app.test_client(), _cache(app)
    client.get("/sparql?query=" + quote("SELECT (0 AS ?n) {}"), headers=JSON)  # warm up the app
    gc.collect()
    tracemalloc.start()
    try:
        sent = 0
        # Until the budget is reached and entries are evicted (answers of ~110 bytes each).
        while sent < 8000 and (sent < 1000 or cache.size[0] > sent - 200):
            sent += 1
            response = client.get("/sparql?query=" + quote(f"SELECT ({sent} AS ?n) {{}}"), headers=JSON)
            assert response.status_code == 200
        gc.collect()
        full = tracemalloc.get_traced_memory()[0]
        entries, counted = cache.size
        with cache._lock:
            cache._entries.clear()
        gc.collect()
        held = full - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert entries < sent and counted > 0.9 * BUDGET  # the cache is full: it evicts
    assert held <= 1.25 * BUDGET, f"{entries} entries hold {held:,} bytes for a {BUDGET:,}-byte budget"
    assert held >= 0.5 * BUDGET, f"{entries} entries hold {held:,} bytes: the counting wastes the budget"
