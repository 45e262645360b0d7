"""The examples in the service's docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["graph.store", "service.conneg", "service.sparqlscan", "service.remote", "service.table"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
