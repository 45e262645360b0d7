"""The examples in the store modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "graph.stores.oxigraph",
    "graph.stores.factory",
    "graph.stores.remote",
    "graph.stores.auth",
    "graph.publish",
    "graph.competency.answers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
