"""The floor of the stack for serve_bench.py: a bare Flask handler over pyoxigraph, with none of
the service's protocol checks, limits, negotiation, evaluator pool, caching, metrics or logs,
served by granian exactly as ``service/serve.py`` serves the service (store loaded once in the
main process, then forked workers, the same worker and thread counts).

    python bench/bare_flask.py --data build/dataset.nq --port 8001 [--workers 1] [--threads 4]
"""

from __future__ import annotations

import argparse
import multiprocessing
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, request
from granian.constants import Interfaces
from granian.server import Server


def create_app(store: ox.Store) -> Flask:
    """GET /sparql?query=... answers SPARQL JSON results (or N-Triples for CONSTRUCT/DESCRIBE)."""
    app = Flask(__name__)

    @app.get("/sparql")
    def sparql() -> Response:
        results = store.query(request.args["query"], use_default_graph_as_union=True)
        if isinstance(results, ox.QueryTriples):
            return Response(
                results.serialize(format=ox.RdfFormat.N_TRIPLES), mimetype="application/n-triples"
            )
        body = results.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, content_type="application/sparql-results+json")

    @app.get("/health")
    def health() -> str:
        return "ok"

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="an RDF file, format by extension")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads per worker")
    args = parser.parse_args()
    store = ox.Store()
    store.bulk_load(path=args.data, format=ox.RdfFormat.from_extension(args.data.suffix.lstrip(".")))
    # As service/serve.py: fork, so that workers inherit the loaded store.
    multiprocessing.set_start_method("fork", force=True)
    server = Server(
        "bench.bare_flask:create_app",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=args.threads,
        log_access=False,
        respawn_failed_workers=True,
    )
    server.serve(target_loader=partial(create_app, store), wrap_loader=False)


if __name__ == "__main__":
    main()
