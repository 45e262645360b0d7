"""The evaluator side of ``graph.stores.forked``: the loop a child process runs, and the frames it speaks.

A child answers on its socket: one length-prefixed request frame in (a pickled operation name and
its arguments), one answer frame out, until the parent hangs up. The operations are the store's
reads, and three that do a write's risky part where a crash or a runaway costs nothing:
``trial_update`` (apply an update to the child's own copy), ``check_update_syntax`` (parse an
update on an empty store, with no network) and ``parse_rdf`` (parse an upload into N-Triples).
A forked child runs ``child_main`` on the store it inherited; a store that cannot cross a fork
(RocksDB on disk) is reopened by a fresh interpreter started as
``python -m rlskg.graph.stores.evaluator SPEC FD``, which says READY once its store is open.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import time
from typing import Any, NoReturn

import pyoxigraph as ox

from rlskg.graph.stores import (
    Answer,
    OxigraphStore,
    QuerySyntaxError,
    Store,
    StoreCrashed,
    StoreError,
    StoreUnavailable,
    reopen,
)
from rlskg.graph.stores.base import parse_triples
from rlskg.ontology.prefixes import PREFIXES

READ_OPERATIONS = frozenset({"query", "get_graph", "get_dataset"})
READY = b"ready"  # the first frame of a child that reopened its store (after exec)
N_TRIPLES = "application/n-triples"
# Oxigraph's parser and evaluator recurse: a big stack lets deep (but allowed) queries through
# where a server thread's stack (2 MiB or less) would overflow. Pages are only used when touched.
CHILD_STACK_BYTES = 256 * 1024 * 1024


_LENGTH = struct.Struct("!Q")
_FIRST_READ = 64 * 1024

# A query that ran this long may have grown the heap by megabytes (joins, sorts, RocksDB reads);
# glibc keeps freed memory for reuse, so without a trim each evaluator keeps its largest query's
# peak for life (measured on 10^6 triples on disk: 150 MiB RSS after the competency questions, 115
# after malloc_trim). Quicker answers are left alone: a trim took 10-150 µs there.
TRIM_AFTER_SECONDS = 0.05


def _heap_trimmer() -> Any:
    """glibc's ``malloc_trim``: gives freed heap pages back to the system; None elsewhere (musl)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_malloc_trim = _heap_trimmer()


def trim_heap() -> None:
    if _malloc_trim is not None:
        _malloc_trim(0)


def send(sock: socket.socket, payload: bytes) -> None:
    """One frame: an 8-byte length, then the payload."""
    sock.sendall(_LENGTH.pack(len(payload)) + payload)


def _recv_into(sock: socket.socket, view: memoryview, deadline: float | None) -> None:
    """Fill ``view`` from the socket."""
    got, size = 0, len(view)
    while got < size:
        if deadline is not None:
            sock.settimeout(max(deadline - time.monotonic(), 0.0001))  # TimeoutError past it
        count = sock.recv_into(view[got:])
        if count == 0:
            raise EOFError("the other end closed the connection")
        got += count


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    buffer = bytearray(size)
    _recv_into(sock, memoryview(buffer), deadline)
    return buffer


def recv(sock: socket.socket, deadline: float | None = None) -> bytes | bytearray:
    """One frame's payload. Most frames are small and arrive whole: one read takes the length
    and the payload together (a read costs a system call, and two with a deadline)."""
    if deadline is not None:
        sock.settimeout(max(deadline - time.monotonic(), 0.0001))  # TimeoutError past it
    first = sock.recv(_FIRST_READ)
    if not first:
        raise EOFError("the other end closed the connection")
    if len(first) < _LENGTH.size:
        first += _recv_exact(sock, _LENGTH.size - len(first), deadline)
    (size,) = _LENGTH.unpack_from(first)
    got = len(first) - _LENGTH.size
    if got == size:
        return first[_LENGTH.size :]
    payload = bytearray(size)  # a big frame: the rest is read straight into place
    view = memoryview(payload)
    view[:got] = memoryview(first)[_LENGTH.size :]
    _recv_into(sock, view[got:], deadline)
    return payload


def _serve(sock: socket.socket, inner: Store) -> None:
    """The child's loop: one request frame in, one answer frame out, until the parent hangs up.

    An answer is ``ok\0<media type>\0<kind>\0<body>``; an error is ``er`` and a pickled StoreError.
    """
    while True:
        try:
            operation, arguments = pickle.loads(recv(sock))
        except (EOFError, OSError):
            return
        started = time.monotonic()
        try:
            answer = _answer(inner, operation, arguments)
            reply = b"\0".join((b"ok", answer.media_type.encode(), answer.kind.encode(), answer.body))
        except StoreError as error:
            reply = b"er" + pickle.dumps(error)
        except Exception as error:  # report any other failure rather than hang the parent
            crash = StoreCrashed(f"the evaluator failed: {type(error).__name__}: {error}")
            reply = b"er" + pickle.dumps(crash)
        send(sock, reply)
        if time.monotonic() - started >= TRIM_AFTER_SECONDS:
            trim_heap()  # after the answer is sent: off the request's path


def _answer(inner: Store, operation: str, arguments: dict[str, Any]) -> Answer:
    if operation in READ_OPERATIONS:
        answer: Answer = getattr(inner, operation)(**arguments)
        return answer
    if operation == "trial_update":  # this copy is retired after it
        inner.update(arguments["sparql"], base_iri=arguments["base_iri"])
        return Answer(b"", "", "boolean")
    if operation == "check_update_syntax":  # in a child without a network: nothing is fetched
        probe = OxigraphStore(PREFIXES)
        try:
            probe.update(arguments["sparql"], base_iri=arguments["base_iri"])
        except QuerySyntaxError:
            raise
        except StoreError:  # it parsed; running it failed (a LOAD with no network), as meant
            pass
        return Answer(b"", "", "boolean")
    if operation == "parse_rdf":
        quads = parse_triples(arguments["data"], arguments["media_type"], arguments["base_iri"])
        body = ox.serialize([quad.triple for quad in quads], format=ox.RdfFormat.N_TRIPLES) or b""
        return Answer(body, N_TRIPLES, "graph")
    raise StoreUnavailable(f"{operation} is not an evaluator operation")


def child_main(sock: socket.socket, inner: Store, *, forked: bool = True) -> NoReturn:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; we exit on EOF
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if forked:
            # Keep only stdio and our pipe: an inherited client socket or listening socket held
            # open here would keep connections from closing, and another child's pipe from EOF.
            # (After exec nothing was inherited, and the store's own files must stay open.)
            keep = sock.fileno()
            os.closerange(3, keep)
            os.closerange(keep + 1, 1 << 20)
        threading.stack_size(CHILD_STACK_BYTES)
        worker = threading.Thread(target=_serve, args=(sock, inner), daemon=True)
        worker.start()
        worker.join()
    finally:
        os._exit(0)


def exec_child(sock: socket.socket, spec: str) -> NoReturn:
    """Start afresh (graph.stores.evaluator) on the socket: a store that cannot cross a fork reopens."""
    try:
        os.set_inheritable(sock.fileno(), True)
        os.execv(
            sys.executable, [sys.executable, "-m", "rlskg.graph.stores.evaluator", spec, str(sock.fileno())]
        )
    finally:
        os._exit(1)


def main(argv: list[str]) -> None:
    spec, fd = argv
    sock = socket.socket(fileno=int(fd))
    store = reopen(spec)
    send(sock, READY)  # a query's time limit starts now, not while Python and the store start
    child_main(sock, store, forked=False)


if __name__ == "__main__":
    main(sys.argv[1:])
