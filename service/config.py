"""The service's settings, in one place: defaults, then the mapping given to ``create_app``, then
``RLSKG_*`` environment variables (``RLSKG_QUERY_TIMEOUT=5``; values parse as JSON when they can).

Nothing here runs at import time; ``Settings.from_config`` checks every value once, at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Config

from rlskg.conventions import ENV_PREFIX
from rlskg.graph.stores import parse_spec
from rlskg.graph.stores.auth import Credentials, RemoteAccess

DEFAULTS: dict[str, Any] = {
    "STORE": "oxigraph",  # oxigraph | oxigraph:PATH | rdflib | sparql:QUERY_URL[,UPDATE_URL] (graph.stores)
    "OUT": None,  # a build folder: dataset.nq or dataset.trig, manifest.json, void.ttl
    "DATA": [],  # more RDF files, format by extension
    "TOKEN": None,  # the bearer token for updates and Graph Store writes; none: read-only
    "REMOTE_TOKEN": None,  # a bearer token sent to a remote store (--store sparql:...)
    "REMOTE_USER": None,  # a user and password answering a remote store's Basic or Digest challenge
    "REMOTE_PASSWORD": None,
    "QUERY_TIMEOUT": 30.0,  # seconds; the evaluator is killed past it
    "MAX_RESULT_BYTES": 50_000_000,  # a larger serialised result is refused with 503
    "MAX_REQUEST_BYTES": 10_000_000,  # a larger body is refused with 413, a longer URL with 414
    "MAX_QUERY_BYTES": 1_000_000,  # a longer query or update text is refused with 413 (it is scanned)
    "MAX_QUERY_DEPTH": 128,  # deeper nesting (brackets, unary operators) is refused with 400
    "SERVICE_ALLOWLIST": [],  # exact IRIs that SERVICE and LOAD may reach
    "POOL_SIZE": 4,  # evaluators kept ready per worker; 0 evaluates in-process, without a hard timeout
    "POOL_MAX": 16,  # evaluator processes per worker when all ready ones are busy (at least POOL_SIZE)
    "EVALUATOR_WAIT": 5.0,  # seconds a read waits for a free evaluator past POOL_MAX; then 503
    "WRITE_JOURNAL": None,  # a file of acknowledged writes, replayed by a worker that starts (rlskg serve)
    "CACHE_MAX_AGE": 60,  # seconds, for Cache-Control on read responses
    "RESPONSE_CACHE_BYTES": 64_000_000,  # per worker, for repeated GET answers; 0 turns it off
    "COMPRESS_MIN_BYTES": 1024,  # smaller bodies are sent as they are
    "ACCESS_LOG": True,  # JSON lines on the rlskg.access logger
    "TRUSTED_PROXIES": 0,  # proxies in front whose X-Forwarded-For/-Proto are believed; 0: none
}


def _paths(value: Any) -> tuple[Path, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str | os.PathLike):
        return tuple(Path(p) for p in str(value).split(os.pathsep) if p)
    return tuple(Path(p) for p in value)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    return tuple(str(v) for v in value or ())


def _number(config: Mapping[str, Any], key: str, kind: type[int] | type[float], minimum: float) -> Any:
    try:
        value = kind(config[key])
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a number, not {config[key]!r}") from None
    if value < minimum:
        raise ValueError(f"{key} must be at least {minimum}, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    store: str
    out: Path | None
    data: tuple[Path, ...]
    token: str | None
    remote_access: RemoteAccess  # how to authenticate to a remote store (--store sparql:...)
    query_timeout: float
    max_result_bytes: int
    max_request_bytes: int
    max_query_bytes: int
    max_query_depth: int
    service_allowlist: frozenset[str]
    pool_size: int
    pool_max: int
    evaluator_wait: float
    write_journal: Path | None
    cache_max_age: int
    response_cache_bytes: int
    compress_min_bytes: int
    access_log: bool
    trusted_proxies: int

    @property
    def writable(self) -> bool:
        return self.token is not None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Check and convert the config values.

        :raises ValueError: naming the key, for a value out of range or of the wrong type.
        """
        # An environment value may have parsed as JSON (a number): a token is text.
        token = None if config["TOKEN"] in (None, "") else str(config["TOKEN"])
        if token is not None and len(token) < 8:
            raise ValueError("TOKEN must be at least 8 characters long")
        user = None if config["REMOTE_USER"] in (None, "") else str(config["REMOTE_USER"])
        if user is None and config["REMOTE_PASSWORD"] not in (None, ""):
            raise ValueError("REMOTE_PASSWORD is set without REMOTE_USER")
        credentials = None if user is None else Credentials(user, str(config["REMOTE_PASSWORD"] or ""))
        remote_token = None if config["REMOTE_TOKEN"] in (None, "") else str(config["REMOTE_TOKEN"])
        store = str(config["STORE"] or "oxigraph")
        parse_spec(store)  # ValueError naming the accepted forms
        return cls(
            store=store,
            out=Path(config["OUT"]) if config["OUT"] else None,
            data=_paths(config["DATA"]),
            token=token,
            remote_access=RemoteAccess(remote_token, credentials),
            query_timeout=_number(config, "QUERY_TIMEOUT", float, 0.01),
            max_result_bytes=_number(config, "MAX_RESULT_BYTES", int, 1),
            max_request_bytes=_number(config, "MAX_REQUEST_BYTES", int, 1),
            max_query_bytes=_number(config, "MAX_QUERY_BYTES", int, 1),
            max_query_depth=_number(config, "MAX_QUERY_DEPTH", int, 1),
            service_allowlist=frozenset(_strings(config["SERVICE_ALLOWLIST"])),
            pool_size=_number(config, "POOL_SIZE", int, 0),
            pool_max=max(_number(config, "POOL_MAX", int, 1), _number(config, "POOL_SIZE", int, 0)),
            evaluator_wait=_number(config, "EVALUATOR_WAIT", float, 0),
            write_journal=Path(config["WRITE_JOURNAL"]) if config["WRITE_JOURNAL"] else None,
            cache_max_age=_number(config, "CACHE_MAX_AGE", int, 0),
            response_cache_bytes=_number(config, "RESPONSE_CACHE_BYTES", int, 0),
            compress_min_bytes=_number(config, "COMPRESS_MIN_BYTES", int, 0),
            access_log=bool(config["ACCESS_LOG"]),
            trusted_proxies=_number(config, "TRUSTED_PROXIES", int, 0),
        )


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
