"""The SPARQL service: ``create_app`` builds it; ``rlskg serve`` runs it (see service.serve)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask

from rlskg.graph.stores import Store, empty_store, open_store, parse_spec
from rlskg.graph.stores.forked import pooled
from rlskg.graph.stores.journal import Journal
from rlskg.service.config import Settings, load_config
from rlskg.service.middleware.log_buffer import BufferedStreamHandler
from rlskg.service.state import EXTENSION, ServiceState

log = logging.getLogger("rlskg.service")


def _open(settings: Settings) -> tuple[Store, bool]:
    spec = parse_spec(settings.store)
    if spec.in_memory and settings.out is None and not settings.data:
        return empty_store(spec, access=settings.remote_access), False
    return open_store(
        settings.out,
        settings.data,
        spec=settings.store,
        writable=settings.writable,
        access=settings.remote_access,
    ), True


def _configure_access_log() -> None:
    logger = logging.getLogger("rlskg.access")
    if not logger.handlers:  # one handler per process, however many apps it builds
        handler = BufferedStreamHandler(sys.stderr)  # lines written in batches: see log_buffer
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def create_app(config: Mapping[str, Any] | None = None, *, store: Store | None = None) -> Flask:
    """Build the service.

    ``config`` overrides the defaults of ``service.config`` (and ``RLSKG_*`` variables override
    both). ``store`` is an already loaded in-process store (``rlskg serve`` loads once, before
    its workers fork); without one, the app opens the store ``STORE`` names and loads ``OUT`` and
    ``DATA`` into it. With POOL_SIZE > 0 reads run in evaluator processes started here, after the
    load, where the store allows it (``graph.stores.forked.pooled``).

    :raises ValueError: for a bad config value.
    :raises FileNotFoundError, graph.stores.StoreError: when the data cannot be loaded.
    """
    from rlskg.service import errors, metrics, middleware, pages, protocol
    from rlskg.service.pages.ontodocs import OntologyDocs
    from rlskg.service.pages.release import OntologyRelease
    from rlskg.service.pages.search import LabelIndex
    from rlskg.service.protocol import description

    app = Flask(__name__, static_folder=pages.STATIC, template_folder=pages.TEMPLATES)
    settings = load_config(app.config, config)
    if settings.writable and parse_spec(settings.store).in_memory:
        # A 204 or 201 reads as "saved"; here it lasts only as long as this process.
        log.warning(
            "writes are enabled on the in-memory store %r: acknowledged writes last only until "
            "the service stops; use --store oxigraph:PATH to keep them",
            settings.store,
        )
    loaded = store is not None
    if store is None:
        store, loaded = _open(settings)
    void = description.read_void(settings.out)
    # Last: nothing after the fork may fail and leave children behind.
    store = pooled(
        store,
        settings.pool_size,
        most=settings.pool_max,
        wait=settings.evaluator_wait,
        idle=settings.evaluator_idle,
        start_after=settings.evaluator_start_after,
        inline_lookups=settings.inline_lookup_quads,
        network=bool(settings.service_allowlist),
        journal=Journal(settings.write_journal) if settings.write_journal else None,
        trial_timeout=settings.query_timeout,
    )
    if settings.access_log:
        _configure_access_log()
    state = ServiceState(
        store=store,
        settings=settings,
        loaded=loaded,
        metrics=metrics.Metrics(),
        ontology_docs=OntologyDocs(settings.out),
        ontology_release=OntologyRelease(settings.out),
        label_index=LabelIndex(),
        void=void,
    )
    app.extensions[EXTENSION] = state
    middleware.install(app, state)
    errors.register_error_handlers(app)
    for blueprint in (*protocol.blueprints(), *pages.blueprints()):
        app.register_blueprint(blueprint)
    return app


def close_app(app: Flask) -> None:
    """Stop the app's evaluator processes (tests; a server's children exit with their worker)."""
    app.extensions[EXTENSION].store.close()
