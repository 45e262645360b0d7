"""``rlskg serve`` and ``rlskg query``: the service, and the same store on the command line.

Both read a build folder (``--out``, by default ``build``) and/or RDF files (``--data``); with
``--data`` alone, only those files. Exit codes: 0 ok, 2 bad input (no dataset, a file that does
not parse, a malformed or refused query).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Config
from werkzeug.exceptions import HTTPException

from rlskg.conventions import DEFAULT_OUT, ENV_PREFIX, EXIT_BAD_INPUT
from rlskg.graph.stores import (
    QueryDataset,
    ResultFormats,
    Store,
    StoreError,
    StoreUnavailable,
    open_store,
    parse_spec,
)
from rlskg.graph.stores.sandbox import sandbox_available
from rlskg.service import guard, metrics
from rlskg.service.config import Settings, load_config
from rlskg.service.guard import xml_entities
from rlskg.service.table import render_table


def _fail(message: object) -> NoReturn:
    click.echo(f"rlskg: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def dataset_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The --store, --out and --data options, shared by serve and query."""
    command = click.option(
        "--store",
        "store_spec",
        default=None,
        help="oxigraph (in memory), oxigraph:PATH (on disk), rdflib, or sparql:QUERY_URL[,UPDATE_URL] "
        "(a remote store) [RLSKG_STORE, else oxigraph].",
    )(command)
    command = click.option(
        "--data",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        multiple=True,
        help="RDF files to load (Turtle, N-Triples, TriG, N-Quads, RDF/XML, JSON-LD; format by extension).",
    )(command)
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"A build folder (dataset.nq or .trig, manifest.json, void.ttl) [{DEFAULT_OUT}, unless --data].",
    )(command)


def _build_folder(out: Path | None, data: tuple[Path, ...], remote: bool = False) -> Path | None:
    if (out is None and data) or (out is None and remote):
        return None
    folder = out or DEFAULT_OUT
    if not folder.is_dir():
        _fail(f"{folder} is not a build folder: run `rlskg build --out {folder}`, or pass --data FILE")
    return folder


def _load(settings: Settings) -> Store:
    for path in settings.data:  # the parser would expand XML entities without a limit (service.guard)
        if path.suffix.lower() in (".rdf", ".owl", ".xml") and path.is_file():
            content = path.read_bytes()
            reason = xml_entities.entity_refusal(content, max(len(content), 10_000_000))
            if reason is not None:
                _fail(f"{path}: {reason}")
    try:
        return open_store(
            settings.out,
            settings.data,
            spec=settings.store,
            writable=settings.writable,
            access=settings.remote_access,
        )
    except (FileNotFoundError, ValueError, StoreError) as error:
        _fail(error)


def _store_config(store_spec: str | None) -> dict[str, Any]:
    return {} if store_spec is None else {"STORE": store_spec}


def _is_remote(store_spec: str | None) -> bool:
    """Whether the store (the option, else RLSKG_STORE) is remote: it needs no build folder."""
    return _settings(_store_config(store_spec)).store.startswith("sparql:")


def _settings(config: dict[str, Any]) -> Settings:
    """The settings the app will see (same flow: defaults, options, RLSKG_* variables)."""
    try:
        return load_config(Config("."), config)
    except ValueError as error:
        _fail(error)


@click.command("serve")
@dataset_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Server processes [one per CPU, up to 4; 1 when writes are enabled: each holds its own copy].",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 1024),
    default=32,
    show_default=True,
    help="Request threads per worker: more than evaluators, so that slow queries leave some free.",
)
@click.option(
    "--evaluators",
    type=click.IntRange(0, 256),
    default=None,
    help="Evaluator processes kept ready per worker (more start for slow queries, up to POOL_MAX) "
    "[RLSKG_POOL_SIZE, else the CPUs shared out among the workers, at least 1; 0: evaluate "
    "in-process, without a hard time limit].",
)
@click.option(
    "--timeout", type=click.FloatRange(0.01), default=None, help="Query time limit in seconds [30]."
)
def serve_command(
    store_spec: str | None,
    out: Path | None,
    data: tuple[Path, ...],
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    evaluators: int | None,
    timeout: float | None,
) -> None:
    """Serve the dataset over SPARQL 1.1 with granian (RLSKG_* variables override these options)."""
    from rlskg.service import serve

    started = time.perf_counter()
    folder = _build_folder(out, data, _is_remote(store_spec))
    config: dict[str, Any] = {"OUT": str(folder) if folder else None}
    if evaluators is not None:
        config["POOL_SIZE"] = evaluators
    config.update(_store_config(store_spec))
    if data:
        config["DATA"] = [str(path) for path in data]
    if timeout is not None:
        config["QUERY_TIMEOUT"] = timeout
    settings = _settings(config)
    workers = serve.worker_count(workers, settings.writable)
    if evaluators is None and f"{ENV_PREFIX}_POOL_SIZE" not in os.environ:
        config["POOL_SIZE"] = serve.evaluators_per_worker(workers)
    journal_folder = None
    if parse_spec(settings.store).in_memory:
        # Loaded once here and shared with the workers copy-on-write.
        shared: Store | None = _load(settings)
        assert shared is not None
        held = _describe(shared)
        if settings.writable and settings.write_journal is None:
            # A worker that dies is started again from this process's copy: the journal brings
            # back the writes it had acknowledged (graph.stores.journal). Private to this server.
            journal_folder = tempfile.mkdtemp(prefix="rlskg-journal-")
            config["WRITE_JOURNAL"] = str(Path(journal_folder) / "writes.journal")
    else:
        # Opened by each worker itself (a RocksDB handle must not cross a fork), so load it in a
        # child: what loading and counting leave in memory must not be inherited by every worker.
        shared, held = None, _prepare_in_child(settings)
    # Tried once here, before the workers fork: they inherit the answer instead of each forking
    # a probe of its own.
    network = "with network" if settings.service_allowlist or not sandbox_available() else "no network"
    click.echo(
        f"rlskg: {held}, opened in {time.perf_counter() - started:.2f} s; serving "
        f"http://{host}:{port}/sparql ({workers} worker(s) x {threads} thread(s), store {settings.store}, "
        f"evaluators {network})",
        err=True,
    )
    metrics_folder: str | None = None
    if workers > 1:  # so that a scrape of any worker shows them all
        metrics_folder = tempfile.mkdtemp(prefix="rlskg-metrics-")
        metrics.share_across_workers(metrics_folder)
    try:
        serve.run(shared, config, host, port, workers, threads)
    finally:
        for scratch in (journal_folder, metrics_folder):
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)


def _describe(store: Store) -> str:
    try:
        stats = store.stats()
    except StoreUnavailable as error:  # a remote store may come up later: serve 503 until then
        return f"store unavailable for now ({error})"
    return f"{stats.triples} triples in {len(stats.graphs)} named graphs"


def _prepare_in_child(settings: Settings) -> str:
    """Open (and load, if needed) the store in a forked child; its description, or exit 2."""
    read_end, write_end = os.pipe()
    pid = os.fork()  # no thread runs yet: the server starts after this
    if pid == 0:
        os.close(read_end)
        code = 1
        try:
            store = _load(settings)
            os.write(write_end, _describe(store).encode())
            store.close()
            code = 0
        except SystemExit as error:  # _fail has told the user why
            code = int(error.code or 2)
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        held = stream.read().decode()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(EXIT_BAD_INPUT)
    return held


# Per --format: the media type for SELECT and ASK, and for CONSTRUCT and DESCRIBE.
QUERY_FORMATS = {
    "table": ("application/sparql-results+json", "text/turtle"),
    "json": ("application/sparql-results+json", "application/ld+json"),
    "csv": ("text/csv", "application/n-triples"),
    "tsv": ("text/tab-separated-values", "application/n-triples"),
}


@click.command("query")
@click.argument("sparql")
@dataset_options
@click.option("--format", "fmt", type=click.Choice(sorted(QUERY_FORMATS)), default="table", show_default=True)
def query_command(
    sparql: str, store_spec: str | None, out: Path | None, data: tuple[Path, ...], fmt: str
) -> None:
    """Answer a SPARQL query from the store the service serves (the default graph is the union)."""
    folder = _build_folder(out, data, _is_remote(store_spec))
    config = {"OUT": str(folder) if folder else None, "DATA": [str(path) for path in data]}
    settings = _settings({**config, **_store_config(store_spec)})
    store = _load(settings)
    solutions, graph = QUERY_FORMATS[fmt]
    try:
        found = guard.check(sparql, settings)
        refused = guard.refusal(found, settings)  # the CLI's store is in-process: it has the network
        if refused is not None:
            _fail(refused)
        dataset = QueryDataset(union_default_graph=not found.has_dataset_clause)
        answer = store.query(sparql, formats=ResultFormats((solutions,), (graph,)), dataset=dataset)
    except StoreError as error:
        _fail(error)
    except HTTPException as error:  # refused by the same checks as the service's
        _fail(error.description)
    if fmt == "table" and answer.kind != "graph":
        click.echo(render_table(answer.body))
    else:
        click.echo(answer.body, nl=False)
