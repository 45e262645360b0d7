"""graph.stores.forked: evaluation in forked children, with a time limit that really stops the work."""

from __future__ import annotations

import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from rlskg.graph.stores import (
    Answer,
    QueryDataset,
    QuerySyntaxError,
    QueryTimeout,
    ResultFormats,
    StoreCrashed,
    StoreUnavailable,
    evaluator,
    open_store,
)
from rlskg.graph.stores.forked import ForkedStore
from tests.support.service import DATA, GRAPH, TRIPLES

CSV = ResultFormats(("text/csv",), ("application/n-triples",))
UNION = QueryDataset(union_default_graph=True)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# 17^8 rows: hours of work, unless stopped.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def count(store: ForkedStore) -> str:
    return store.query(COUNT, formats=CSV, dataset=UNION, timeout=10).body.decode().splitlines()[1]


def at_once(readers: int, read: Callable[[], str]) -> list[str]:
    """``read`` from ``readers`` threads let go together: what each returned."""
    gate = threading.Barrier(readers)
    results: list[str] = []

    def run() -> None:
        gate.wait()
        results.append(read())

    threads = [threading.Thread(target=run) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def counts_at_once(store: ForkedStore, readers: int) -> list[str]:
    return at_once(readers, lambda: count(store))


@pytest.fixture
def pool() -> Iterator[ForkedStore]:
    store = ForkedStore(open_store(None, [DATA]), 2)
    yield store
    store.close()


def test_forked_store_answers_like_the_store(pool: ForkedStore) -> None:
    assert count(pool) == str(TRIPLES)
    answer = pool.get_graph(GRAPH + "simple", formats=CSV, timeout=10)
    assert answer.media_type == "application/n-triples" and answer.body.count(b"\n") == 3


def test_forked_store_passes_errors_back(pool: ForkedStore) -> None:
    with pytest.raises(QuerySyntaxError, match=r"1:\d+"):
        pool.query("SELECT * WHERE { ?s }", formats=CSV, timeout=10)


def test_timeout_kills_the_child_and_replaces_it(pool: ForkedStore) -> None:
    before = set(pool.children)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"time limit of 0\.3 s"):
        pool.query(RUNAWAY, formats=CSV, dataset=UNION, timeout=0.3)
    assert time.monotonic() - started < 2
    killed = before - set(pool.children)
    assert len(killed) == 1 and not any(alive(pid) for pid in killed)
    assert len(pool.children) == 2
    assert count(pool) == str(TRIPLES)


def test_crashed_child_is_reported_and_replaced(pool: ForkedStore) -> None:
    def kill_soon() -> None:
        time.sleep(0.2)
        for pid in pool.children:
            os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_soon)
    killer.start()
    with pytest.raises(StoreCrashed, match="SIGKILL"):
        pool.query(RUNAWAY, formats=CSV, dataset=UNION, timeout=10)
    killer.join()
    assert count(pool) == str(TRIPLES)


def test_writes_reach_children_forked_before_them(pool: ForkedStore) -> None:
    assert count(pool) == str(TRIPLES)
    version = pool.version
    pool.update("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    assert pool.version != version
    assert count(pool) == str(TRIPLES + 1)
    assert pool.put_graph(GRAPH + "extra", b"<http://x/d> <http://x/e> <http://x/f> .", "text/turtle")
    assert count(pool) == str(TRIPLES + 2)


def test_parallel_reads_use_separate_children(pool: ForkedStore) -> None:
    assert counts_at_once(pool, 6) == [str(TRIPLES)] * 6


def test_closed_store_refuses_reads_and_leaves_no_child() -> None:
    store = ForkedStore(open_store(None, [DATA]), 2)
    children = store.children
    store.close()
    assert not any(alive(pid) for pid in children)
    with pytest.raises(StoreUnavailable):
        count(store)


def test_children_started_for_a_burst_stay_until_idle_for_the_limit() -> None:
    """A burst past ``size`` starts children; they are kept while in use, not killed as soon as
    they come free (that made a fork and a kill per request under steady load), and stopped once
    idle past the limit."""
    store = ForkedStore(open_store(None, [DATA]), 1, most=4, idle=0.5)
    try:
        gate = threading.Barrier(3)

        def burst() -> None:
            gate.wait()
            count(store)

        threads = [threading.Thread(target=burst) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after_burst = set(store.children)
        assert len(after_burst) >= 2  # the burst needed more than the one kept ready
        for _ in range(20):  # steady sequential reads within the idle limit start nothing new
            count(store)
        assert set(store.children) == after_burst
        time.sleep(0.6)
        count(store)  # a release past the limit stops the stale ones
        assert len(store.children) == 1
        assert not any(alive(pid) for pid in after_burst - set(store.children))
    finally:
        store.close()


def test_quick_reads_queue_for_the_children_there_are() -> None:
    """With ``start_after``, a burst of quick reads waits for the one child kept ready rather than
    starting more: more processes than CPUs answer no faster, and each costs memory."""
    store = ForkedStore(open_store(None, [DATA]), 1, most=4, start_after=2.0)
    try:
        started = set(store.children)
        assert counts_at_once(store, 6) == [str(TRIPLES)] * 6
        assert set(store.children) == started
    finally:
        store.close()


def test_a_slow_read_lets_one_more_child_start() -> None:
    """Once a child has been on its read for ``start_after`` seconds, a waiting read starts one
    more child, instead of waiting for the slow one to finish; one slow read makes room for one."""
    store = ForkedStore(open_store(None, [DATA]), 1, most=4, start_after=0.3)
    try:

        def runaway() -> None:
            with pytest.raises(QueryTimeout):
                store.query(RUNAWAY, formats=CSV, dataset=UNION, timeout=3)

        slow = threading.Thread(target=runaway)
        slow.start()
        time.sleep(0.05)  # the runaway holds the only child
        waited = time.monotonic()
        assert counts_at_once(store, 3) == [str(TRIPLES)] * 3
        waited = time.monotonic() - waited
        assert 0.2 <= waited < 2.5  # past start_after, well before the runaway's limit
        assert len(store.children) == 2  # one runaway: one more child, shared by the quick reads
        slow.join()
    finally:
        store.close()


def runaways_at_once(store: ForkedStore, readers: int) -> list[str]:
    """RUNAWAY from ``readers`` threads (a 1.5 s limit each): how each ended."""

    def runaway() -> str:
        try:
            store.query(RUNAWAY, formats=CSV, dataset=UNION, timeout=1.5)
        except QueryTimeout:
            return "ran to the limit"
        except StoreUnavailable:
            return "refused"
        return "answered"

    return at_once(readers, runaway)


def test_reads_behind_slow_ones_wait_while_children_start() -> None:
    """Behind slow reads, children start one by one (each first seen on one for ``start_after``):
    a read waits for them past ``wait`` rather than being refused while they keep starting."""
    store = ForkedStore(open_store(None, [DATA]), 1, most=4, wait=0.4, start_after=0.2)
    try:  # the fourth starts its child about 0.6 s in
        assert runaways_at_once(store, 4) == ["ran to the limit"] * 4
    finally:
        store.close()


def test_a_slow_start_does_not_eat_the_wait_of_the_reads_behind_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wait is counted from when a child has started, not from when it was asked for: on a
    loaded machine a start can take longer than ``start_after``."""
    store = ForkedStore(open_store(None, [DATA]), 1, most=4, wait=0.4, start_after=0.2)
    spawn = store._spawn

    def slow_spawn() -> object:
        time.sleep(0.3)
        return spawn()

    monkeypatch.setattr(store, "_spawn", slow_spawn)
    try:
        assert runaways_at_once(store, 4) == ["ran to the limit"] * 4
    finally:
        store.close()


def test_the_store_declares_the_prefixes_a_query_names() -> None:
    """The store hands the parser only the prefixes a text names (``name:``): a query using one
    of them answers as before, an undeclared one is still an error."""
    store = open_store(None, [DATA])
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?o }", formats=CSV, dataset=UNION)
    spelled = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }"
    assert answer.body == store.query(spelled, formats=CSV, dataset=UNION).body
    assert int(answer.body.decode().splitlines()[1]) > 0
    with pytest.raises(QuerySyntaxError):
        store.query("ASK { ?s nosuchprefix:label ?o }", formats=CSV, dataset=UNION)


def test_an_evaluator_that_reopens_its_store_loads_no_more_than_it_needs() -> None:
    """Each evaluator of an on-disk store is a fresh Python: rdflib would add 27 MiB to each, the
    HTTP client of remote stores (http, ssl) and importlib.metadata (email) 9 MiB more."""
    script = "import sys, rlskg.graph.stores.evaluator; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "'pyoxigraph'" in loaded
    assert [name for name in ("rdflib", "flask", "http", "ssl", "email") if f"'{name}'" in loaded] == []


class _SlowStore:
    """Answers ``query`` after sleeping the seconds it is given."""

    def query(self, seconds: float) -> Answer:
        time.sleep(seconds)
        return Answer(b"done", "text/plain", "boolean")


def test_an_evaluator_trims_its_heap_after_a_slow_answer_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long query's peak is given back to the system after its answer is sent; quick answers
    do not pay for a trim."""
    trims: list[float] = []
    monkeypatch.setattr(evaluator, "trim_heap", lambda: trims.append(time.monotonic()))
    monkeypatch.setattr(evaluator, "TRIM_AFTER_SECONDS", 0.05)
    parent, child = socket.socketpair()
    loop = threading.Thread(target=evaluator._serve, args=(child, _SlowStore()), daemon=True)
    loop.start()
    try:
        for seconds, trimmed in ((0.0, 0), (0.08, 1), (0.0, 1)):
            evaluator.send(parent, pickle.dumps(("query", {"seconds": seconds})))
            assert evaluator.recv(parent, time.monotonic() + 5).startswith(b"ok")
            time.sleep(0.02)  # the trim follows the answer
            assert len(trims) == trimmed
    finally:
        parent.close()
        loop.join(5)
        child.close()


def test_the_heap_trimmer_is_glibcs_where_there_is_one() -> None:
    trimmer = evaluator._heap_trimmer()
    if trimmer is None:
        pytest.skip("no malloc_trim in this C library")
    assert trimmer(0) in (0, 1)
