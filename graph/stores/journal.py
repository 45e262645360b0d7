"""A journal of the writes a server acknowledged, so that a worker that dies does not take them along.

An in-memory store lives in a server worker. When the worker dies (a crash in a parser, the OOM
killer), granian starts a new one from the server's main process, which holds the data as it was
loaded at start: without more, every write acknowledged since would silently be gone. So each write
is appended here once it is applied, before the client is told, and a new worker replays the
journal before it serves. Writes are kept as the store's own operations: an update's text, a Graph
Store write's N-Triples (parsed once, by an evaluator), a graph deletion.

The journal lives as long as the server (``rlskg serve`` makes it in a temporary folder and deletes
it at exit): an in-memory store's writes last until the service stops, and no longer.

>>> import tempfile
>>> from rlskg.graph.stores.oxigraph import OxigraphStore
>>> journal = Journal(Path(tempfile.mkdtemp()) / "writes.journal")
>>> first = OxigraphStore()
>>> first.update("INSERT DATA { <http://ex/a> <http://ex/p> 1 }")
>>> journal.append("update", ("INSERT DATA { <http://ex/a> <http://ex/p> 1 }",))
>>> again = OxigraphStore()
>>> journal.replay(again)
1
>>> again.version == first.version
True
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
from pathlib import Path
from typing import Any

from rlskg.graph.stores.base import Store

WRITE_OPERATIONS = frozenset({"update", "put_graph", "post_graph", "delete_graph"})
_LENGTH = struct.Struct("!Q")


class Journal:
    """An append-only file of ``(operation, arguments)`` frames."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(
        self, operation: str, arguments: tuple[Any, ...], options: dict[str, Any] | None = None
    ) -> None:
        """Record a write that was applied (the store method, its positional arguments and keyword
        options); it reaches the file (not the disk) before this returns."""
        if operation not in WRITE_OPERATIONS:
            raise ValueError(f"{operation} is not a write")
        frame = pickle.dumps((operation, arguments, options or {}), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock, self.path.open("ab") as file:
            file.write(_LENGTH.pack(len(frame)) + frame)

    def replay(self, store: Store) -> int:
        """Apply every recorded write to ``store``, in order; how many there were.

        A frame cut short (the worker died while writing it) ends the journal there: that write
        was never acknowledged, so it is dropped and the file truncated to what was whole.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return 0
        offset = count = 0
        while offset + _LENGTH.size <= len(data):
            (size,) = _LENGTH.unpack_from(data, offset)
            end = offset + _LENGTH.size + size
            if end > len(data):
                break
            operation, arguments, options = pickle.loads(data[offset + _LENGTH.size : end])
            if operation not in WRITE_OPERATIONS:
                raise ValueError(f"{self.path}: {operation} is not a write")
            getattr(store, operation)(*arguments, **options)
            offset, count = end, count + 1
        if offset < len(data):
            with self.path.open("r+b") as file:
                file.truncate(offset)
                os.fsync(file.fileno())
        return count
