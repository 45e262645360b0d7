"""service.config: every setting is written once, checked at start-up, and documented."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask import Config

from rlskg.service import serve
from rlskg.service.config import DEFAULTS, load_config

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_defaults_make_valid_settings() -> None:
    settings = load_config(Config("."), {})
    assert settings.store == "oxigraph" and settings.token is None and not settings.writable
    assert settings.pool_max >= settings.pool_size


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"QUERY_TIMEOUT": "soon"}, "QUERY_TIMEOUT must be a number"),
        ({"POOL_SIZE": -1}, "POOL_SIZE must be at least 0"),
        ({"TOKEN": "short"}, "TOKEN must be at least 8 characters"),
        ({"REMOTE_PASSWORD": "secret"}, "REMOTE_PASSWORD is set without REMOTE_USER"),
        ({"STORE": "postgres"}, "STORE must be oxigraph"),
    ],
)
def test_a_bad_value_is_refused_naming_its_key(given: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_config(Config("."), given)


def test_pool_max_is_never_below_pool_size() -> None:
    assert load_config(Config("."), {"POOL_SIZE": 20, "POOL_MAX": 2}).pool_max == 20


def test_an_environment_value_overrides_the_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RLSKG_QUERY_TIMEOUT", "5")
    assert load_config(Config("."), {"QUERY_TIMEOUT": 9}).query_timeout == 5.0


def test_the_readme_names_every_setting() -> None:
    readme = README.read_text(encoding="utf-8")
    assert [key for key in DEFAULTS if f"`RLSKG_{key}`" not in readme] == []


@pytest.mark.parametrize(("cpus", "workers", "evaluators"), [(2, 2, 1), (8, 2, 4), (1, 4, 1), (None, 1, 1)])
def test_rlskg_serve_shares_the_cpus_out_among_the_workers_evaluators(
    monkeypatch: pytest.MonkeyPatch, cpus: int | None, workers: int, evaluators: int
) -> None:
    """Evaluators kept ready when not told: one per CPU across the workers, at least one each."""
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert serve.evaluators_per_worker(workers) == evaluators
