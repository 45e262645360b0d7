"""What evaluating in a forked child costs against evaluating in-process, per query.

Two levels: the store alone (OxigraphStore against ForkedStore around it) and the whole app
(a WSGI call without HTTP, POOL_SIZE=0 against POOL_SIZE=4). One query at a time, so the figure
includes the wake-up of an idle child, the worst case; under load the pool costs less.

    python -m bench.pool_overhead [--repeat 2000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from werkzeug.test import EnvironBuilder

from bench.peer_data import QUERIES, trig
from rlskg.graph.stores import QueryDataset, ResultFormats, open_store
from rlskg.graph.stores.forked import ForkedStore
from rlskg.service import close_app, create_app

FORMATS = ResultFormats(("application/sparql-results+json",), ("text/turtle",))
UNION = QueryDataset(union_default_graph=True)


def per_call(call: Callable[[], object], repeat: int) -> float:
    """Median microseconds per call over 5 batches."""
    call()
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat // 5):
            call()
        batches.append((time.perf_counter() - started) / (repeat // 5) * 1e6)
    return statistics.median(batches)


def wsgi_call(app: Callable[..., Iterable[bytes]], query: str) -> Callable[[], object]:
    environ = EnvironBuilder(path="/sparql", query_string={"query": query}).get_environ()

    def call() -> bytes:
        return b"".join(app(dict(environ), lambda *args: None))

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bench.trig"
        data.write_text(trig(500, 150), encoding="utf-8")
        inner = open_store(None, [data])
        pool = ForkedStore(inner, 2)
        config = {"DATA": [str(data)], "ACCESS_LOG": False}
        apps = {size: create_app({**config, "POOL_SIZE": size}) for size in (0, 4)}
        print("| query | store in-process µs | store forked µs | app in-process µs | app forked µs |")
        print("|---|---:|---:|---:|---:|")
        try:
            for name in ("label lookup", "association join", "small CONSTRUCT"):
                query = QUERIES[name]
                figures = [
                    per_call(partial(inner.query, query, formats=FORMATS, dataset=UNION), args.repeat),
                    per_call(
                        partial(pool.query, query, formats=FORMATS, dataset=UNION, timeout=9), args.repeat
                    ),
                    per_call(wsgi_call(apps[0], query), args.repeat),
                    per_call(wsgi_call(apps[4], query), args.repeat),
                ]
                print(f"| {name} | " + " | ".join(f"{f:.0f}" for f in figures) + " |")
        finally:
            pool.close()
            for app in apps.values():
                close_app(app)


if __name__ == "__main__":
    main()
