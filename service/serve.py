"""Running the service under a production WSGI server: granian.

Chosen over gunicorn by measurement (``python -m bench.serve_compare``): on a 2-core machine, 2
workers x 4 threads, granian answered this service 1.0-1.5x as many requests per second as
gunicorn's gthread workers (1.4x on a label lookup), and a bare Flask handler 1.3-2.2x as many.
The store is loaded once, in the server's main process, before the workers fork (they share it
copy-on-write); each worker then forks its own evaluator processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Mapping
from functools import partial
from typing import Any

from flask import Flask
from granian.constants import Interfaces
from granian.server import Server

from rlskg.graph.stores import Store
from rlskg.service import create_app

log = logging.getLogger("rlskg.service")


def worker_count(requested: int | None, writable: bool) -> int:
    """Workers to run: as asked, else one per CPU (up to 4); but one when writes are on, since
    each worker holds its own in-memory copy of the store."""
    wanted = requested or min(os.cpu_count() or 1, 4)
    if writable and wanted > 1:
        log.warning("writes are enabled: serving with 1 worker so that every read sees every write")
        return 1
    return wanted


def evaluators_per_worker(workers: int) -> int:
    """Evaluators each worker keeps ready when not told: the CPUs shared out among the workers, at
    least one. More run no faster (2 CPUs, 10^6 triples on disk: 4 per worker and more for bursts
    served 175 pages/s, 1 per worker 416), and each costs memory: on a disk store, a Python with
    its own RocksDB caches (43 MiB RSS idle, 100 or more after heavy queries). Slow queries still
    get more, up to POOL_MAX (graph.stores.forked)."""
    return max(1, (os.cpu_count() or 1) // workers)


def load_in_worker(config: Mapping[str, Any], store: Store | None) -> Flask:
    """``create_app`` in a granian worker, where a stop signal ends the worker while it loads.

    granian installs a worker's signal handlers only once this returns. Until then the worker
    has the handlers it was forked with, the server process's, which do nothing in a worker: a
    SIGTERM sent while it loaded was lost, and the worker and its evaluators outlived the server
    (the server waits for its workers for ever)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return create_app(config, store=store)


def run(
    store: Store | None, config: Mapping[str, Any], host: str, port: int, workers: int, threads: int
) -> None:
    """Serve until interrupted with ``threads`` request threads per worker.
    Without ``store``, each worker opens the one ``config`` names."""
    # Fork (not spawn): workers inherit the loaded store instead of loading it again.
    multiprocessing.set_start_method("fork", force=True)
    server = Server(
        "rlskg.service:create_app",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        log_access=False,  # the app writes its own JSON access log
        respawn_failed_workers=True,
    )
    server.serve(target_loader=partial(load_in_worker, config, store), wrap_loader=False)
