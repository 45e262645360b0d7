"""Fixtures shared by every test folder."""

from pathlib import Path

import pytest

from graph.build import build_dataset


@pytest.fixture(scope="session")
def built_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sources and ontology, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("kg") / "build"
    build_dataset(out, progress=lambda _line: None)
    return out
