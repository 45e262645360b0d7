"""An evaluator process started afresh: ``python -m service.evaluator SPEC FD``.

``service.pool`` forks and execs this for stores that cannot cross a fork (RocksDB on disk): the
process opens its own read-only handle on ``SPEC`` and answers reads on the inherited socket ``FD``
exactly as a forked child does. It exits when the parent hangs up.
"""

from __future__ import annotations

import socket
import sys

from graph.stores import reopen
from service.pool import _child_main


def main(argv: list[str]) -> None:
    spec, fd = argv
    sock = socket.socket(fileno=int(fd))
    _child_main(sock, reopen(spec), forked=False)


if __name__ == "__main__":
    main(sys.argv[1:])
