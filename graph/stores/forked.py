"""Evaluation in pre-forked child processes, so that a time limit really stops the work.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed. So each worker forks a
few children after the store is loaded (copy-on-write: the dataset is not copied) and hands them
reads over a socketpair; a child evaluates, serialises the result in the negotiated format and
sends the bytes back as one length-prefixed frame. Past the time limit the parent SIGKILLs the
child and forks a fresh one: the worker thread is free at once, and the CPU too. A crash in
Oxigraph kills only a child. The child's side is ``graph.stores.evaluator``.

- Children have no network (``graph.stores.sandbox``) unless the service may reach SERVICE or LOAD
  targets at all: then the request guard's allow-list is the only check.
- ``size`` children are kept ready. When all are busy, one more is started for each child that
  has been on its query for ``start_after`` seconds or longer, once per query, up to ``most``: a
  few slow queries do not make every other one wait, and a stream of quick ones queues for the
  children there are instead of starting more. (Starting one whenever all were busy ran up to 32
  evaluators on 2 CPUs and a disk store, each a Python with its own RocksDB caches, and served 175
  pages/s where 2 evaluators served 416: bench/README, 10^6 triples, 32 connections.) A read is
  refused (StoreUnavailable, 503) once it has waited ``wait`` seconds since it asked and since a
  child last started: behind many slow reads, children start one by one (each must first be seen
  on one for ``start_after``), and reads wait for them rather than being refused. A child started
  for a burst is stopped once it has been idle ``idle`` seconds: stopping it as soon as it came
  free made a fork (and a kill) per request whenever more than ``size`` requests were in flight
  (measured: 844 forks in 5 s at 32 connections, and a third of the throughput).
- A lookup (one triple pattern with an IRI subject: ``graph.stores.lookup``) that at most
  ``inline_lookups`` quads match is answered in the parent: its work is bounded by the quads it
  reads, it cannot name SERVICE, and the hand-off would cost more than the lookup (Oxigraph's stores).
- Writes run in the parent, under a lock that forks also take; children forked before a write are
  replaced before their next read. Before the parent applies a write, a child does it first where
  a crash or a runaway costs nothing: an update is tried on a child's own copy (in-memory stores),
  an upload is parsed there into N-Triples, within ``trial_timeout`` seconds. Each applied write goes to the
  ``journal``, if there is one, before it is acknowledged (``graph.stores.journal``).

Which stores this applies to is theirs to say (``graph.stores.Isolation``): in-memory stores are
forked; an on-disk store is reopened read-only by each child after exec, from a checkpoint when the
store is written to; a remote store is used in-process (``pooled`` returns it unchanged).
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import signal
import socket
import threading
import time
import warnings
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from rlskg.graph.stores.base import (
    DEFAULT_DATASET,
    Answer,
    Isolation,
    QueryDataset,
    QueryTimeout,
    ResultFormats,
    Store,
    StoreCrashed,
    StoreStats,
    StoreUnavailable,
)
from rlskg.graph.stores.evaluator import N_TRIPLES, READY, child_main, exec_child, recv, send
from rlskg.graph.stores.journal import Journal
from rlskg.graph.stores.oxigraph import OxigraphStore
from rlskg.graph.stores.sandbox import SandboxError, drop_network, sandbox_available

log = logging.getLogger("rlskg.store")

SNAPSHOTS = ".rlskg-snapshots"  # inside an on-disk store's folder: RocksDB leaves it alone
STARTUP_SECONDS = 30.0  # for a child that exec'd to open its store
IDLE_SECONDS = 60.0  # a child past ``size`` is stopped after this long unused, unless told
EXIT_NO_SANDBOX = 70  # a child that could not drop its network exits at once with this code
# A write's time in the parent is not bounded; its trial in a child is, by this unless told.
WRITE_TRIAL_SECONDS = 60.0


class _ReadsOrFork:
    """In-process reads of the store, any number at once, or one fork. A child forked while a thread
    of this process is inside the store would inherit the store's locks held by a thread that does
    not exist there, and could wait on them for ever (inline lookups read the store here)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._forking = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._forking)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextmanager
    def forking(self) -> Iterator[None]:
        """Let no new read in, wait for those under way (lookups: short), then fork."""
        with self._changed:
            self._forking = True
            self._changed.wait_for(lambda: not self._readers)
        try:
            yield
        finally:
            with self._changed:
                self._forking = False
                self._changed.notify_all()


@dataclass
class _Child:
    pid: int
    sock: socket.socket
    version: str
    snapshot: Path | None = None  # the checkpoint it reads (``snapshot`` stores)
    ready: bool = True  # False until a child that exec'd has said it opened its store
    idle_since: float = 0.0  # when it last came free (time.monotonic)


def pooled(
    store: Store,
    size: int,
    *,
    most: int | None = None,
    wait: float = 5.0,
    network: bool = False,
    journal: Journal | None = None,
    trial_timeout: float = WRITE_TRIAL_SECONDS,
    idle: float = IDLE_SECONDS,
    start_after: float = 0.0,
    inline_lookups: int = 0,
) -> Store:
    """``store`` with its reads in killable children, where its ``Isolation`` allows; else
    ``store`` itself (a remote store bounds its own waits). ``network``: whether children may
    reach the network (only when SERVICE or LOAD targets are allowed at all)."""
    if journal is not None:
        replayed = journal.replay(store)  # before any child is forked: they must see it all
        if replayed:
            log.warning("replayed %d acknowledged writes from %s", replayed, journal.path)
    if size < 1 or store.isolation.mode == "inline":
        return store
    sandboxed = not network and sandbox_available()
    if not network and not sandboxed:
        log.warning(
            "evaluators cannot be moved out of the network here (no unshare): SERVICE and LOAD "
            "are kept in by the request guard's lexical check alone"
        )
    return ForkedStore(
        store,
        size,
        most=most or size,
        wait=wait,
        sandboxed=sandboxed,
        journal=journal,
        trial_timeout=trial_timeout,
        idle=idle,
        start_after=start_after,
        inline_lookups=inline_lookups,
    )


def _stop(children: dict[int, socket.socket]) -> None:
    """Hang up on and kill ``children`` (pid -> socket), and reap them."""
    for pid, sock in list(children.items()):
        sock.close()
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        children.pop(pid, None)


class ForkedStore:
    """A ``Store`` that evaluates reads in forked copies of ``inner`` with a hard time limit."""

    def __init__(
        self,
        inner: Store,
        size: int,
        *,
        most: int | None = None,
        wait: float = 5.0,
        sandboxed: bool = False,
        journal: Journal | None = None,
        trial_timeout: float = WRITE_TRIAL_SECONDS,
        idle: float = IDLE_SECONDS,
        start_after: float = 0.0,
        inline_lookups: int = 0,
    ) -> None:
        if size < 1:
            raise ValueError("a ForkedStore needs at least one child")
        self._inner = inner
        self._size, self._most, self._wait = size, max(most or size, size), wait
        self.sandboxed = sandboxed
        self._journal = journal
        self._trial_timeout = trial_timeout
        self._idle_seconds = idle
        self._start_after = start_after
        # Lookups of at most this many quads are answered here (graph.stores.lookup); Oxigraph's
        # stores alone can tell, and are safe to read from this thread while another writes.
        self._inline_lookups = inline_lookups
        self._reads = _ReadsOrFork()
        self._is_small_lookup = (
            inner.is_small_lookup if isinstance(inner, OxigraphStore) and inline_lookups > 0 else None
        )
        self._lock = threading.Lock()  # writes to inner, and forks (never fork mid-write)
        # One write at a time, its trial included: a trial must see the data it will be applied to.
        self._writing = threading.Lock()
        # Idle children, the longest idle first; the most recent is taken (its pages are warm).
        self._idle: deque[_Child] = deque()
        self._came_free = threading.Condition()  # guards _idle; notified when a child is put back
        # Under _came_free: pid -> when its current read began; the busy children a child was
        # started for (their read was slow); children being started.
        self._busy: dict[int, float] = {}
        self._made_room_for: set[int] = set()
        self._starting = 0
        self._last_start = 0.0  # time.monotonic() when a read last started a child
        self._live: dict[int, socket.socket] = {}  # every child, idle or busy
        self._snapshots: dict[Path, int] = {}  # checkpoint folder -> live children reading it
        self._snapshot: tuple[str, Path] | None = None  # (version, folder) of the newest
        self._stats: StoreStats | None = None
        self._closed = False
        # An app dropped without close() still stops its children when collected.
        self._finalizer = weakref.finalize(self, _stop, self._live)
        for _ in range(size):
            self._put_idle(self._spawn())

    # Children.

    def _spawn(self) -> _Child:
        with self._lock:
            isolation = self._inner.isolation
            snapshot = self._current_snapshot(isolation) if isolation.mode == "snapshot" else None
            parent_end, child_end = socket.socketpair()
            with warnings.catch_warnings():
                # Python 3.12+ warns on fork in a threaded process. The child touches no lock that
                # another thread may hold: writes to the store hold self._lock, held here, and
                # in-process reads self._reads. The child never leaves these blocks (it exits or
                # execs), so it never takes their locks either.
                warnings.simplefilter("ignore", DeprecationWarning)
                with self._reads.forking():
                    pid = os.fork()
                    if pid == 0:
                        parent_end.close()
                        self._enter_child(child_end, isolation, snapshot)
            child_end.close()
            self._live[pid] = parent_end
            if snapshot is not None:
                self._snapshots[snapshot] = self._snapshots.get(snapshot, 0) + 1
            ready = isolation.mode not in ("reopen", "snapshot")
            return _Child(pid, parent_end, self._inner.version, snapshot, ready)

    def _enter_child(self, sock: socket.socket, isolation: Isolation, snapshot: Path | None) -> NoReturn:
        """In the child: leave the network, then serve (exec'ing first where the store must reopen)."""
        if self.sandboxed:
            try:
                drop_network()
            except SandboxError:
                os._exit(EXIT_NO_SANDBOX)  # never evaluate with a network we promised to take away
        if isolation.mode == "reopen":
            exec_child(sock, isolation.spec)
        if snapshot is not None:
            exec_child(sock, f"{isolation.spec.partition(':')[0]}:{snapshot}")
        child_main(sock, self._inner)

    def _current_snapshot(self, isolation: Isolation) -> Path:
        """The checkpoint of the data as it is now, written when the version has changed (into the
        store's own folder: hard links need one file system)."""
        version = self._inner.version
        if self._snapshot is not None and self._snapshot[0] == version:
            return self._snapshot[1]
        assert isolation.checkpoint is not None
        folder = Path(isolation.spec.partition(":")[2]) / SNAPSHOTS / f"{version}-{time.monotonic_ns()}"
        folder.parent.mkdir(exist_ok=True)
        isolation.checkpoint(folder)
        previous, self._snapshot = self._snapshot, (version, folder)
        if previous is not None:
            self._drop_snapshot(previous[1])
        return folder

    def _drop_snapshot(self, folder: Path) -> None:
        """Delete a checkpoint once no live child reads it and a newer one exists."""
        if self._snapshots.get(folder, 0) == 0 and (self._snapshot is None or self._snapshot[1] != folder):
            self._snapshots.pop(folder, None)
            shutil.rmtree(folder, ignore_errors=True)

    def _retire(self, child: _Child) -> None:
        _stop({child.pid: child.sock})
        self._live.pop(child.pid, None)
        with self._came_free:  # a read waiting for a child may start one in its place
            self._busy.pop(child.pid, None)
            self._made_room_for.discard(child.pid)
            self._came_free.notify()
        if child.snapshot is not None:
            with self._lock:
                self._snapshots[child.snapshot] -= 1
                self._drop_snapshot(child.snapshot)

    def _checkout(self) -> _Child:
        """An idle child of the current version, or a new one where ``_may_start`` allows, else
        the first to come free. StoreUnavailable once it has waited ``wait`` seconds since it
        asked and since a child last started (while slow reads start children one by one, the
        wait is for them)."""
        asked = time.monotonic()
        with self._came_free:
            while not self._idle:
                now = time.monotonic()
                if self._may_start(now):
                    self._starting += 1
                    self._last_start = now
                    break
                deadline = max(asked, self._last_start) + self._wait
                if now >= deadline:
                    raise StoreUnavailable("every evaluator is busy; try again shortly")
                # Woken when a child comes free, or when the next busy one turns slow.
                turns_slow = (since + self._start_after for since in self._busy.values())
                self._came_free.wait(min([when for when in turns_slow if when > now] + [deadline]) - now)
            child = self._idle.pop() if self._idle else None
        if child is None:
            try:
                child = self._spawn()
            finally:
                with self._came_free:
                    self._starting -= 1
                    self._last_start = time.monotonic()  # a slow fork must not eat the waits behind it
        elif child.version != self._inner.version:  # forked before a write: it holds old data
            self._retire(child)
            child = self._spawn()
        with self._came_free:
            self._busy[child.pid] = time.monotonic()
        return child

    def _may_start(self, now: float) -> bool:
        """Whether a read that finds no idle child may start one: while fewer than ``size`` live;
        else once for each busy child that has been on its read for ``start_after`` seconds, up
        to ``most``. A yes for a slow child is recorded: that child earns no second start."""
        live = len(self._live) + self._starting
        if live < self._size:
            return True
        if live >= self._most:
            return False
        for pid, since in self._busy.items():
            if now - since >= self._start_after and pid not in self._made_room_for:
                self._made_room_for.add(pid)
                return True
        return False

    def _put_idle(self, child: _Child) -> list[_Child]:
        """Put ``child`` among the idle; return those to retire: past ``size`` idle children,
        each idle for longer than the idle limit (started for a burst that has passed)."""
        now = child.idle_since = time.monotonic()
        stale = []
        with self._came_free:
            self._busy.pop(child.pid, None)
            self._made_room_for.discard(child.pid)
            self._idle.append(child)
            while len(self._idle) > self._size and now - self._idle[0].idle_since > self._idle_seconds:
                stale.append(self._idle.popleft())
            self._came_free.notify()
        return stale

    def _release(self, child: _Child) -> None:
        """Back among the idle (retired instead when the store closed)."""
        if self._closed:
            self._retire(child)
            return
        for stale in self._put_idle(child):
            self._retire(stale)

    def _replace(self, child: _Child) -> None:
        """Kill a child; put a fresh one in its place while fewer than ``size`` are idle."""
        self._retire(child)
        if not self._closed and len(self._idle) < self._size:
            self._put_idle(self._spawn())

    def _ask(self, operation: str, timeout: float | None, **arguments: Any) -> Answer:
        """Send one operation to a child and wait for its answer, at most ``timeout`` seconds."""
        if self._closed:
            raise StoreUnavailable("the store is shutting down")
        child = self._checkout()
        if not child.ready:
            self._await_ready(child)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            send(child.sock, pickle.dumps((operation, arguments), protocol=pickle.HIGHEST_PROTOCOL))
            reply = recv(child.sock, deadline)
        except TimeoutError:
            self._replace(child)
            raise QueryTimeout(
                f"the {'query' if operation != 'trial_update' else 'update'} ran past the time limit "
                f"of {timeout:g} s and was stopped"
            ) from None
        except (EOFError, OSError):
            status = self._exit_status(child)
            self._replace(child)
            raise StoreCrashed(
                f"the evaluator stopped ({status}) while answering; it has been replaced"
            ) from None
        if operation == "trial_update":  # its copy now differs from the parent's
            self._replace(child)
        else:
            self._release(child)
        if reply[:2] == b"er":
            raise pickle.loads(reply[2:])
        # ok\0<media type>\0<kind>\0<body>: the body copied once, out of a big frame's buffer.
        first = reply.index(b"\0", 3)
        second = reply.index(b"\0", first + 1)
        media_type, kind = bytes(reply[3:first]).decode(), bytes(reply[first + 1 : second]).decode()
        body = bytes(memoryview(reply)[second + 1 :])
        return Answer(body, media_type, kind)  # type: ignore[arg-type]

    def _await_ready(self, child: _Child) -> None:
        """Wait for a child that exec'd to open its store (Python and pyoxigraph start in ~0.3 s)."""
        try:
            frame = recv(child.sock, time.monotonic() + STARTUP_SECONDS)
        except (TimeoutError, EOFError, OSError):
            status = self._exit_status(child)
            self._replace(child)
            raise StoreUnavailable(f"an evaluator did not start ({status}); try again shortly") from None
        if bytes(frame) != READY:
            self._replace(child)
            raise StoreCrashed("an evaluator started with an unexpected frame")
        child.ready = True

    @staticmethod
    def _exit_status(child: _Child) -> str:
        """How the child ended (its pipe can close a moment before it is reaped)."""
        for _ in range(20):
            try:
                pid, status = os.waitpid(child.pid, os.WNOHANG)
            except ChildProcessError:
                return "gone"
            if pid:
                if os.WIFSIGNALED(status):
                    return signal.Signals(os.WTERMSIG(status)).name
                code = os.waitstatus_to_exitcode(status)
                return "it could not leave the network" if code == EXIT_NO_SANDBOX else f"exit {code}"
            time.sleep(0.005)
        return "closed its socket"

    # Writes.

    def _write(self, operation: str, *arguments: Any, **options: Any) -> Any:
        with self._lock:
            result = getattr(self._inner, operation)(*arguments, **options)
            self._stats = None
            if self._journal is not None:
                self._journal.append(operation, arguments, options)
        self._refresh_idle()
        return result

    def _refresh_idle(self) -> None:
        """Replace idle children forked before the last write, so the next read pays no fork
        (children that reopen a checkpoint are replaced when next asked: they cost an exec)."""
        if self._inner.isolation.mode == "snapshot":
            return
        for child in self._drain():
            if child.version != self._inner.version:
                self._retire(child)
                child = self._spawn()
            self._put_idle(child)

    def _parsed(self, data: bytes, media_type: str, base_iri: str | None) -> bytes:
        """An upload parsed by a child into N-Triples (RDF/XML parses in quadratic time in its
        nesting: never in the parent, never under the write lock)."""
        answer = self._ask(
            "parse_rdf", self._trial_timeout, data=data, media_type=media_type, base_iri=base_iri
        )
        return answer.body

    # The Store protocol.

    @property
    def version(self) -> str:
        return self._inner.version

    @property
    def isolation(self) -> Isolation:
        return self._inner.isolation

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None:
        with self._lock:
            self._inner.load(paths, version=version)
            self._stats = None
        self._refresh_idle()

    def query(
        self,
        sparql: str,
        *,
        formats: ResultFormats,
        dataset: QueryDataset = DEFAULT_DATASET,
        timeout: float | None = None,
        max_bytes: int | None = None,
        base_iri: str | None = None,
    ) -> Answer:
        if self._is_small_lookup is not None:
            with self._reads.reading():
                if self._is_small_lookup(sparql, self._inline_lookups):
                    # Bounded by the quads it reads; the hand-off would cost more than the lookup.
                    return self._inner.query(
                        sparql, formats=formats, dataset=dataset, max_bytes=max_bytes, base_iri=base_iri
                    )
        return self._ask(
            "query",
            timeout,
            sparql=sparql,
            formats=formats,
            dataset=dataset,
            max_bytes=max_bytes,
            base_iri=base_iri,
        )

    def get_graph(
        self,
        graph: str | None,
        *,
        formats: ResultFormats,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        return self._ask("get_graph", timeout, graph=graph, formats=formats, max_bytes=max_bytes)

    def get_dataset(
        self, *, formats: ResultFormats, timeout: float | None = None, max_bytes: int | None = None
    ) -> Answer:
        return self._ask("get_dataset", timeout, formats=formats, max_bytes=max_bytes)

    def update(self, sparql: str, *, timeout: float | None = None, base_iri: str | None = None) -> None:
        """Try the update on a child's copy first (in-memory stores): a syntax error, a failure,
        a crash or a runaway stops there, and the parent applies only what ran to the end."""
        limit = timeout if timeout is not None else self._trial_timeout
        with self._writing:
            if self._inner.isolation.mode == "fork":
                self._ask("trial_update", limit, sparql=sparql, base_iri=base_iri)
            self._write("update", sparql, base_iri=base_iri)

    def check_update_syntax(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Have an evaluator without a network parse ``sparql`` (on an empty store, so that running
        it changes nothing and reaches nothing).

        :raises QuerySyntaxError: for a malformed update. Does nothing unless sandboxed.
        """
        if self.sandboxed:
            self._ask("check_update_syntax", self._trial_timeout, sparql=sparql, base_iri=base_iri)

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        parsed = self._parsed(data, media_type, base_iri)  # before the turn: parsing may take long
        with self._writing:
            return bool(self._write("put_graph", graph, parsed, N_TRIPLES))

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        parsed = self._parsed(data, media_type, base_iri)
        with self._writing:
            return bool(self._write("post_graph", graph, parsed, N_TRIPLES))

    def delete_graph(self, graph: str | None) -> None:
        with self._writing:
            self._write("delete_graph", graph)

    def named_graphs(self) -> list[str]:
        return sorted(self.stats().graphs)

    def stats(self) -> StoreStats:
        """The counts of the data now; while a write holds the lock, those from before it (a
        health check must not wait for an upload)."""
        if not self._lock.acquire(blocking=self._stats is None):
            assert self._stats is not None
            return self._stats
        try:
            if self._stats is None or self._stats.version != self._inner.version:
                self._stats = self._inner.stats()
            return self._stats
        finally:
            self._lock.release()

    @property
    def children(self) -> list[int]:
        """The pids of the live children (for tests and metrics)."""
        return sorted(self._live)

    def close(self) -> None:
        """Kill every child; reads after this raise StoreUnavailable."""
        self._closed = True
        self._finalizer()
        with self._lock:
            for folder in list(self._snapshots):
                shutil.rmtree(folder, ignore_errors=True)
            self._snapshots.clear()
            if self._snapshot is not None:
                shutil.rmtree(self._snapshot[1], ignore_errors=True)
                self._snapshot = None
        self._inner.close()

    def _drain(self) -> list[_Child]:
        """Take every idle child out of the queue."""
        with self._came_free:
            children = list(self._idle)
            self._idle.clear()
        return children
