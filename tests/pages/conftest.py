"""An app over the shipped data (the session's build), for the page tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rlskg.service import close_app, create_app


@pytest.fixture(scope="module")
def app(built_dataset: Path) -> Iterator[Flask]:
    application = create_app({"OUT": str(built_dataset), "POOL_SIZE": 0, "ACCESS_LOG": False})
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
