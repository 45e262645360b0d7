"""``--store oxigraph:PATH``: RocksDB on disk, and the time limit on stores other than the default."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask

from rlskg.graph.stores import ForeignData, OxigraphStore, QueryDataset, ResultFormats, open_store
from rlskg.graph.stores.forked import ForkedStore

CSV = ResultFormats(("text/csv",), ("application/n-triples",))
UNION = QueryDataset(union_default_graph=True)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
INSERT = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> <http://ex/b> } }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"


def triples(store: OxigraphStore | object) -> int:
    assert isinstance(store, OxigraphStore)
    return int(store.query(COUNT, formats=CSV, dataset=UNION).body.split()[1])


def test_load_is_idempotent_and_updates_survive_a_restart(built_dataset: Path, tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    built = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
    first = open_store(built_dataset, spec=spec)
    assert triples(first) == built["triples"] and first.version == built["version"]
    first.update(INSERT)
    updated = first.version
    first.close()
    del first
    started = time.perf_counter()
    second = open_store(built_dataset, spec=spec)  # same build: not loaded again
    assert time.perf_counter() - started < 0.5
    assert triples(second) == built["triples"] + 1 and second.version == updated
    second.close()
    del second
    changed = tmp_path / "changed"
    shutil.copytree(built_dataset, changed)
    manifest = dict(built, version="another-version")
    (changed / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    third = open_store(changed, spec=spec)  # another version: replaced, the update is gone
    assert triples(third) == built["triples"] and third.version == "another-version"


def test_the_counts_taken_at_load_serve_every_later_opening_until_a_write(
    built_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    built = json.loads((built_dataset / "manifest.json").read_text(encoding="utf-8"))
    loaded = open_store(built_dataset, spec=spec)
    counted = loaded.stats()
    assert counted.triples == built["triples"] == triples(loaded)
    loaded.close()
    del loaded

    def no_counting(self: OxigraphStore) -> None:
        raise AssertionError("counted again")

    with monkeypatch.context() as patch:
        patch.setattr(OxigraphStore, "_count", no_counting)
        reopened = open_store(built_dataset, spec=spec, writable=False)
        assert reopened.stats() == counted
        del reopened
    writer = open_store(built_dataset, spec=spec)
    writer.update(INSERT)
    assert writer.stats().triples == built["triples"] + 1
    writer.close()
    del writer
    after = open_store(built_dataset, spec=spec, writable=False)  # the saved counts are stale: counted
    assert after.stats().triples == built["triples"] + 1 and after.stats().version == after.version


def test_a_read_only_disk_store_reopens_in_each_evaluator(built_dataset: Path, tmp_path: Path) -> None:
    store = open_store(built_dataset, spec=f"oxigraph:{tmp_path / 'store'}", writable=False)
    assert store.isolation.mode == "reopen"
    pool = ForkedStore(store, 1)
    try:
        answer = pool.query(COUNT, formats=CSV, dataset=UNION, timeout=10)
        assert int(answer.body.split()[1]) == store.stats().triples
    finally:
        pool.close()


@pytest.mark.parametrize("backend", ["oxigraph:PATH", "rdflib"])
def test_the_time_limit_stops_the_work(
    backend: str, built_dataset: Path, tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}" if backend == "oxigraph:PATH" else backend
    app = make_app(STORE=spec, OUT=str(built_dataset), QUERY_TIMEOUT=0.5)
    pool = app.extensions["rlskg"].store
    assert isinstance(pool, ForkedStore)
    before = pool.children
    started = time.monotonic()
    response = app.test_client().get("/sparql", query_string={"query": RUNAWAY})
    assert response.status_code == 503 and b"time limit" in response.data
    assert time.monotonic() - started < 3
    assert pool.children != before  # the evaluator was killed and replaced


def test_a_database_rlskg_did_not_load_is_never_replaced(built_dataset: Path, tmp_path: Path) -> None:
    """Pointing --store oxigraph:PATH at another program's Oxigraph database must not wipe it."""
    theirs = ox.Store(str(tmp_path / "theirs"))
    theirs.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.Literal("kept")))
    theirs.flush()
    del theirs
    with pytest.raises(ForeignData, match="did not load"):
        open_store(built_dataset, spec=f"oxigraph:{tmp_path / 'theirs'}", writable=True)
    still = ox.Store.read_only(str(tmp_path / "theirs"))
    assert [str(q.object) for q in still.quads_for_pattern(None, None, None, None)] == ['"kept"']
