"""Fixtures shared by every test folder."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rlskg.graph.build import build_dataset


@pytest.fixture(scope="session")
def built_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sources and ontology, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("kg") / "build"
    build_dataset(out, progress=lambda _line: None)
    return out


@pytest.fixture(scope="session", autouse=True)
def _no_rlskg_environment() -> Iterator[None]:
    """RLSKG_* variables of the developer's shell must not reach the apps under test."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("RLSKG_"):
                patch.delenv(name)
        yield
