"""The service's settings, in one place: defaults, then the mapping given to ``create_app``, then
``RLSKG_*`` environment variables (``RLSKG_QUERY_TIMEOUT=5``; values parse as JSON when they can).

Each setting is written once, as a field of ``Settings`` with its default, what it does, and how
its value is checked; ``DEFAULTS`` follows from them, and a test keeps the README's table in step.
Nothing here runs at import time; ``Settings.from_config`` checks every value once, at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from flask import Config

from rlskg.conventions import ENV_PREFIX
from rlskg.graph.stores import parse_spec
from rlskg.graph.stores.auth import Credentials, RemoteAccess

Convert = Callable[[str, Any], Any]  # (KEY, value as given) -> the checked value, or ValueError


def setting(default: Any, does: str, convert: Convert) -> Any:
    """A field of ``Settings``: its default, what it does (one line), and its converter."""
    return field(metadata={"default": default, "does": does, "convert": convert})


def _text(_key: str, value: Any) -> str | None:
    """Text, or None when empty (an environment value may have parsed as JSON: a token is text)."""
    return None if value in (None, "") else str(value)


def _token(key: str, value: Any) -> str | None:
    token = _text(key, value)
    if token is not None and len(token) < 8:
        raise ValueError(f"{key} must be at least 8 characters long")
    return token


def _store(_key: str, value: Any) -> str:
    spec = str(value or "oxigraph")
    parse_spec(spec)  # ValueError naming the accepted forms
    return spec


def _path(_key: str, value: Any) -> Path | None:
    return Path(value) if value else None


def _paths(_key: str, value: Any) -> tuple[Path, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str | os.PathLike):
        return tuple(Path(p) for p in str(value).split(os.pathsep) if p)
    return tuple(Path(p) for p in value)


def _strings(_key: str, value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(v for v in value.replace(",", " ").split() if v)
    return frozenset(str(v) for v in value or ())


def _flag(_key: str, value: Any) -> bool:
    return bool(value)


def _number(kind: type[int] | type[float], minimum: float) -> Convert:
    def convert(key: str, value: Any) -> Any:
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be a number, not {value!r}") from None
        if number < minimum:
            raise ValueError(f"{key} must be at least {minimum}, not {number}")
        return number

    return convert


@dataclass(frozen=True)
class Settings:
    store: str = setting(
        "oxigraph", "oxigraph (in memory), oxigraph:PATH, rdflib or sparql:QUERY_URL[,UPDATE_URL]", _store
    )
    # (RUF009 takes `setting` for a default value; it makes a dataclass field, as field() does.)
    out: Path | None = setting(None, "a build folder: dataset.nq or .trig, manifest.json", _path)  # noqa: RUF009
    data: tuple[Path, ...] = setting((), "more RDF files, format by extension", _paths)
    token: str | None = setting(None, "the bearer token for writes; none: read-only", _token)
    remote_token: str | None = setting(None, "a bearer token sent to a remote store", _text)
    remote_user: str | None = setting(
        None, "a user answering a remote store's Basic or Digest challenge", _text
    )
    remote_password: str | None = setting(None, "that user's password", _text)
    query_timeout: float = setting(
        30.0, "seconds; the evaluator is killed past it (503)", _number(float, 0.01)
    )
    max_result_bytes: int = setting(
        50_000_000, "a larger serialised result is refused (503)", _number(int, 1)
    )
    max_request_bytes: int = setting(
        10_000_000, "a larger body is refused (413), a longer URL too (414)", _number(int, 1)
    )
    max_query_bytes: int = setting(
        1_000_000, "a longer query or update text is refused (413): it is scanned", _number(int, 1)
    )
    max_query_depth: int = setting(
        128, "deeper nesting (brackets, unary ! - +) is refused (400)", _number(int, 1)
    )
    service_allowlist: frozenset[str] = setting(
        (), "exact IRIs that SERVICE and LOAD may reach; none: evaluators have no network", _strings
    )
    pool_size: int = setting(
        4,
        "evaluators kept ready per worker (rlskg serve: CPUs / workers); "
        "0: in-process, without a hard time limit",
        _number(int, 0),
    )
    pool_max: int = setting(
        16, "evaluators per worker while slow queries hold the ready ones", _number(int, 1)
    )
    evaluator_idle: float = setting(
        60.0, "seconds an evaluator started past POOL_SIZE may stay idle before it stops", _number(float, 0)
    )
    evaluator_wait: float = setting(
        5.0,
        "seconds a query waits for an evaluator (from its request or the last start); then 503",
        _number(float, 0),
    )
    evaluator_start_after: float = setting(
        0.25,
        "seconds an evaluator must have spent on one query before a waiting query starts another",
        _number(float, 0),
    )
    inline_lookup_quads: int = setting(
        10_000,
        "a lookup (one triple pattern, IRI subject) matching at most this many quads is answered "
        "in the worker, not by an evaluator; 0: never",
        _number(int, 0),
    )
    write_journal: Path | None = setting(  # noqa: RUF009
        None, "acknowledged writes, replayed by a worker that starts (rlskg serve sets it)", _path
    )
    cache_max_age: int = setting(60, "seconds, for Cache-Control on read answers", _number(int, 0))
    response_cache_bytes: int = setting(
        64_000_000, "per worker, for repeated GET answers; 0 turns it off", _number(int, 0)
    )
    compress_min_bytes: int = setting(1024, "smaller bodies are sent uncompressed", _number(int, 0))
    access_log: bool = setting(True, "JSON lines on the rlskg.access logger", _flag)
    trusted_proxies: int = setting(
        0, "proxies in front whose X-Forwarded-For/-Proto are believed; 0: none", _number(int, 0)
    )

    def __post_init__(self) -> None:
        if self.remote_password is not None and self.remote_user is None:
            raise ValueError("REMOTE_PASSWORD is set without REMOTE_USER")
        object.__setattr__(self, "pool_max", max(self.pool_max, self.pool_size))

    @property
    def writable(self) -> bool:
        return self.token is not None

    @property
    def remote_access(self) -> RemoteAccess:
        """How to authenticate to a remote store (``--store sparql:...``)."""
        user = self.remote_user
        credentials = None if user is None else Credentials(user, self.remote_password or "")
        return RemoteAccess(self.remote_token, credentials)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Check and convert the config values.

        :raises ValueError: naming the key, for a value out of range or of the wrong type.
        """
        values = {}
        for item in fields(cls):
            key = item.name.upper()
            values[item.name] = item.metadata["convert"](key, config[key])
        return cls(**values)


DEFAULTS: dict[str, Any] = {item.name.upper(): item.metadata["default"] for item in fields(Settings)}


def load_config(config: Config, mapping: Mapping[str, Any] | None) -> Settings:
    """Fill a Flask ``config`` in order: defaults, ``mapping``, environment; then check it."""
    config.from_mapping(DEFAULTS)
    config.from_mapping(mapping or {})
    config.from_prefixed_env(ENV_PREFIX)
    settings = Settings.from_config(config)
    # Werkzeug enforces these two while reading a body: 413 without our code running.
    config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes
    return settings
