"""Every example in a docstring of the package runs: modules are found, not listed by hand."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import rlskg


def _modules_with_examples() -> list[str]:
    found = []
    for module in pkgutil.walk_packages(rlskg.__path__, "rlskg."):
        spec = importlib.util.find_spec(module.name)
        origin = spec.origin if spec is not None else None
        if origin and origin.endswith(".py") and ">>>" in Path(origin).read_text(encoding="utf-8"):
            found.append(module.name)
    return sorted(found)


MODULES = _modules_with_examples()


def test_examples_are_found() -> None:
    assert "rlskg.service.guard.lexical" in MODULES and "rlskg.graph.stores.oxigraph" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
