"""Fixtures shared by every test folder: the session's build, a clean environment, and apps over
tests/data/service-mini.trig (tests/support/service.py), which the service and reliability tests
use (tests/pages/ has its own, over the build). Helpers live in tests/support/."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rlskg.graph.build import build_dataset
from rlskg.service import close_app
from tests.support.service import TOKEN, make_app


@pytest.fixture(scope="session")
def built_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sources and ontology, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("kg") / "build"
    build_dataset(out, progress=lambda _line: None)
    return out


@pytest.fixture(scope="session", autouse=True)
def _no_rlskg_environment() -> Iterator[None]:
    """RLSKG_* variables of the developer's shell must not reach the apps under test (except
    RLSKG_REGENERATE, which asks the competency tests to write their expected answers)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("RLSKG_") and name != "RLSKG_REGENERATE":
                patch.delenv(name)
        yield


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    """A read-only app, shared by a module's tests (they must not write)."""
    application = make_app()
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def build_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with a test's own config; they are closed after the test."""
    apps: list[Flask] = []

    def build(**config: Any) -> Flask:
        apps.append(make_app(**config))
        return apps[-1]

    yield build
    for application in apps:
        close_app(application)


@pytest.fixture
def writable_app() -> Iterator[Flask]:
    """A fresh app that accepts writes with TOKEN, one per test."""
    application = make_app(TOKEN=TOKEN)
    yield application
    close_app(application)


@pytest.fixture
def writer(writable_app: Flask) -> FlaskClient:
    return writable_app.test_client()
