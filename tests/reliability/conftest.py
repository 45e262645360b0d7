"""Fixtures for the reliability tests: the service tests' apps and the real server, reused."""

from __future__ import annotations

from flask import Flask

from rlskg.service.state import EXTENSION
from tests.service.conftest import (
    app as app,
)
from tests.service.conftest import (
    build_app as build_app,
)
from tests.service.conftest import (
    client as client,
)
from tests.service.conftest import (
    writable_app as writable_app,
)
from tests.service.conftest import (
    writer as writer,
)


def snapshot(application: Flask) -> tuple[int, str]:
    """(triples, version) of an app's store: what a refused write must leave as it was."""
    store = application.extensions[EXTENSION].store
    return store.stats().triples, store.version
