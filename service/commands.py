"""``rlskg serve`` and ``rlskg query``: the service, and the same store on the command line.

Both read a build folder (``--out``, by default ``build``) and/or RDF files (``--data``); with
``--data`` alone, only those files. Exit codes: 0 ok, 2 bad input (no dataset, a file that does
not parse, a malformed or refused query).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Config
from werkzeug.exceptions import HTTPException

from graph.store import OxigraphStore, QueryDataset, ResultFormats, StoreError, open_store
from service import guard
from service.config import Settings, load_config
from service.table import render_table

DEFAULT_OUT = Path("build")


def _fail(message: object) -> NoReturn:
    click.echo(f"rlskg: {message}", err=True)
    sys.exit(2)


def dataset_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The --out and --data options, shared by serve and query."""
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


def _build_folder(out: Path | None, data: tuple[Path, ...]) -> Path | None:
    if out is None and data:
        return None
    folder = out or DEFAULT_OUT
    if not folder.is_dir():
        _fail(f"{folder} is not a build folder: run `rlskg build --out {folder}`, or pass --data FILE")
    return folder


def _load(out: Path | None, data: tuple[Path, ...]) -> OxigraphStore:
    try:
        return open_store(out, data)
    except (FileNotFoundError, StoreError) as error:
        _fail(error)


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
    type=click.IntRange(1, 256),
    default=4,
    show_default=True,
    help="Request threads per worker, each with its own evaluator process.",
)
@click.option(
    "--timeout", type=click.FloatRange(0.01), default=None, help="Query time limit in seconds [30]."
)
def serve_command(
    out: Path | None,
    data: tuple[Path, ...],
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    timeout: float | None,
) -> None:
    """Serve the dataset over SPARQL 1.1 with granian (RLSKG_* variables override these options)."""
    from service import serve

    started = time.perf_counter()
    folder = _build_folder(out, data)
    config: dict[str, Any] = {"OUT": str(folder) if folder else None, "POOL_SIZE": threads}
    if timeout is not None:
        config["QUERY_TIMEOUT"] = timeout
    settings = _settings(config)
    store = _load(folder, data)
    workers = serve.worker_count(workers, settings.writable)
    stats = store.stats()
    click.echo(
        f"rlskg: {stats.triples} triples in {len(stats.graphs)} named graphs, loaded in "
        f"{time.perf_counter() - started:.2f} s; serving http://{host}:{port}/sparql "
        f"({workers} worker(s) x {threads} thread(s))",
        err=True,
    )
    serve.run(store, config, host, port, workers, threads)


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
def query_command(sparql: str, out: Path | None, data: tuple[Path, ...], fmt: str) -> None:
    """Answer a SPARQL query from the store the service serves (the default graph is the union)."""
    settings = _settings({})
    store = _load(_build_folder(out, data), data)
    solutions, graph = QUERY_FORMATS[fmt]
    try:
        found = guard.check(sparql, settings)
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
