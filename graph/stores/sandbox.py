"""Evaluator processes without a network: the boundary that keeps SERVICE and LOAD in.

A query reaches a store's engine as text, and engines read text in their own way (Oxigraph needs no
space after SERVICE; rdflib expands ``\\u`` escapes before parsing), so a check of the text before
the engine sees it can always be read two ways. The connection is therefore refused where it would
be made: each evaluator child moves into a network namespace of its own (Linux ``unshare``, the
call behind ``unshare -rn``), where no interface is up, so SERVICE and LOAD fail whatever their
spelling, and DNS fails too. The parent (the server worker, which holds the client connections) is
not moved: its sockets stay where they are.

Root (or CAP_SYS_ADMIN) can create a network namespace directly; any other user needs a user
namespace first (``CLONE_NEWUSER``), which Debian and most distributions allow, and which only a
single-threaded process can create: a child just forked from the server worker is one.
tests/reliability/test_redteam_c2_service_load_sandbox.py checks that children cannot connect.
"""

from __future__ import annotations

import ctypes
import functools
import os

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


class SandboxError(OSError):
    """The process could not be moved into a network namespace of its own."""


def drop_network() -> None:
    """Move this process into a new, empty network namespace.

    :raises SandboxError: naming the reason (a container without the right, user namespaces
        disabled, a threaded process).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    reasons = []
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return
        reasons.append(os.strerror(ctypes.get_errno()))
    raise SandboxError(f"unshare(CLONE_NEWNET) failed: {' / '.join(reasons)}")


@functools.cache
def sandbox_available() -> bool:
    """Whether a forked child of this process can drop its network (tried once, in a child)."""
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/ns/net"):
        return False
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            drop_network()
            code = 0
        except OSError:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
