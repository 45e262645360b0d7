"""Evaluation in pre-forked child processes, so that a time limit really stops the work.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed. So each worker forks a
few children after the store is loaded (copy-on-write: the dataset is not copied) and hands them
reads over a socketpair; a child evaluates, serialises the result in the negotiated format and
sends the bytes back as one length-prefixed frame. Past the time limit the parent SIGKILLs the
child and forks a fresh one: the worker thread is free at once, and the CPU too. A crash in
Oxigraph kills only a child. Writes run in the parent, under a lock that forks also take, and
children forked before a write are replaced before their next read. The child's side is
``graph.stores.evaluator``.

Which stores this applies to is theirs to say (``graph.stores.Isolation``): in-memory stores are
forked; a read-only on-disk store is reopened by each child after exec (graph.stores.evaluator); a
remote store, or a writable on-disk one, is used in-process (``pooled`` returns it unchanged).
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import socket
import threading
import time
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rlskg.graph.stores import (
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
from rlskg.graph.stores.evaluator import child_main, exec_child, recv, send


@dataclass
class _Child:
    pid: int
    sock: socket.socket
    version: str


def pooled(store: Store, size: int) -> Store:
    """``store`` with its reads in ``size`` killable children, where its ``Isolation`` allows;
    else ``store`` itself (a remote store bounds its own waits)."""
    if size < 1 or store.isolation.mode == "inline":
        return store
    return ForkedStore(store, size)


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
    """A ``Store`` that evaluates reads in ``size`` forked copies of ``inner`` with a hard time limit."""

    def __init__(self, inner: Store, size: int) -> None:
        if size < 1:
            raise ValueError("a ForkedStore needs at least one child")
        self._inner = inner
        self._lock = threading.Lock()  # writes to inner, and forks (never fork mid-write)
        self._idle: queue.LifoQueue[_Child] = queue.LifoQueue()
        self._live: dict[int, socket.socket] = {}  # every child, idle or busy
        self._closed = False
        # An app dropped without close() still stops its children when collected.
        self._finalizer = weakref.finalize(self, _stop, self._live)
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Child:
        with self._lock:
            parent_end, child_end = socket.socketpair()
            with warnings.catch_warnings():
                # Python 3.12+ warns on fork in a threaded process. The child touches no lock that
                # another thread may hold: the store is guarded by self._lock, held here.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:
                parent_end.close()
                if self._inner.isolation.mode == "reopen":
                    exec_child(child_end, self._inner.isolation.spec)
                child_main(child_end, self._inner)
            child_end.close()
            self._live[pid] = parent_end
            return _Child(pid, parent_end, self._inner.version)

    def _retire(self, child: _Child) -> None:
        _stop({child.pid: child.sock})
        self._live.pop(child.pid, None)

    def _checkout(self, wait: float) -> _Child:
        try:
            child = self._idle.get(timeout=wait)
        except queue.Empty:
            raise StoreUnavailable("every evaluator is busy; try again shortly") from None
        if child.version != self._inner.version:  # forked before a write: it holds old data
            self._retire(child)
            child = self._spawn()
        return child

    def _read(self, operation: str, timeout: float | None, **arguments: Any) -> Answer:
        if self._closed:
            raise StoreUnavailable("the store is shutting down")
        child = self._checkout(wait=timeout or 30.0)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            send(child.sock, pickle.dumps((operation, arguments), protocol=pickle.HIGHEST_PROTOCOL))
            reply = recv(child.sock, deadline)
        except TimeoutError:
            self._replace(child)
            raise QueryTimeout(
                f"the query ran past the time limit of {timeout:g} s and was stopped"
            ) from None
        except (EOFError, OSError):
            status = self._exit_status(child)
            self._replace(child)
            raise StoreCrashed(
                f"the evaluator stopped ({status}) while answering; it has been replaced"
            ) from None
        self._release(child)
        if reply[:2] == b"er":
            raise pickle.loads(reply[2:])
        _, media_type, kind, body = bytes(reply).split(b"\0", 3)
        return Answer(body, media_type.decode(), kind.decode())  # type: ignore[arg-type]

    def _replace(self, child: _Child) -> None:
        """Kill a child and put a fresh one in its place."""
        self._retire(child)
        if not self._closed:
            self._idle.put(self._spawn())

    def _release(self, child: _Child) -> None:
        """Back to the idle queue, unless the store closed meanwhile."""
        if self._closed:
            self._retire(child)
        else:
            self._idle.put(child)

    @staticmethod
    def _exit_status(child: _Child) -> str:
        """How the child ended (its pipe can close a moment before it is reaped)."""
        for _ in range(20):
            try:
                pid, status = os.waitpid(child.pid, os.WNOHANG)
            except ChildProcessError:
                return "gone"
            if pid:
                return signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else "exited"
            time.sleep(0.005)
        return "closed its socket"

    def _write(self, operation: str, *arguments: Any, **options: Any) -> Any:
        with self._lock:
            result = getattr(self._inner, operation)(*arguments, **options)
        self._refresh_idle()
        return result

    def _refresh_idle(self) -> None:
        """Replace idle children forked before the last write, so the next read pays no fork."""
        for child in self._drain():
            if child.version != self._inner.version:
                self._retire(child)
                child = self._spawn()
            self._idle.put(child)

    @property
    def version(self) -> str:
        return self._inner.version

    @property
    def isolation(self) -> Isolation:
        return self._inner.isolation

    def load(self, paths: Sequence[Path], *, version: str | None = None) -> None:
        self._write("load", paths, version=version)

    def query(
        self,
        sparql: str,
        *,
        formats: ResultFormats,
        dataset: QueryDataset = DEFAULT_DATASET,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        return self._read(
            "query", timeout, sparql=sparql, formats=formats, dataset=dataset, max_bytes=max_bytes
        )

    def get_graph(
        self,
        graph: str | None,
        *,
        formats: ResultFormats,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        return self._read("get_graph", timeout, graph=graph, formats=formats, max_bytes=max_bytes)

    def get_dataset(
        self, *, formats: ResultFormats, timeout: float | None = None, max_bytes: int | None = None
    ) -> Answer:
        return self._read("get_dataset", timeout, formats=formats, max_bytes=max_bytes)

    def update(self, sparql: str) -> None:
        self._write("update", sparql)

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        return bool(self._write("put_graph", graph, data, media_type, base_iri=base_iri))

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, base_iri: str | None = None
    ) -> bool:
        return bool(self._write("post_graph", graph, data, media_type, base_iri=base_iri))

    def delete_graph(self, graph: str | None) -> None:
        self._write("delete_graph", graph)

    def named_graphs(self) -> list[str]:
        with self._lock:
            return self._inner.named_graphs()

    def stats(self) -> StoreStats:
        with self._lock:
            return self._inner.stats()

    @property
    def children(self) -> list[int]:
        """The pids of the live children (for tests and metrics)."""
        return sorted(self._live)

    def close(self) -> None:
        """Kill every child; reads after this raise StoreUnavailable."""
        self._closed = True
        self._finalizer()
        self._inner.close()

    def _drain(self) -> list[_Child]:
        """Take every idle child out of the queue."""
        children = []
        while True:
            try:
                children.append(self._idle.get_nowait())
            except queue.Empty:
                return children
