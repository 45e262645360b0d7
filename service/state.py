"""What one app holds: its store, settings, metrics, ontology docs and label index. Reached through
``state()``; made once, in ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import current_app

from rlskg.graph.stores import Store
from rlskg.service.config import Settings

if TYPE_CHECKING:
    from rlskg.service.metrics import Metrics
    from rlskg.service.pages.ontodocs import OntologyDocs
    from rlskg.service.pages.release import OntologyRelease
    from rlskg.service.pages.search import LabelIndex

EXTENSION = "rlskg"


@dataclass
class ServiceState:
    store: Store
    settings: Settings
    loaded: bool  # a dataset was loaded (health answers 503 until then)
    metrics: Metrics
    ontology_docs: OntologyDocs  # made on first need, then kept
    ontology_release: OntologyRelease  # the release files served at the ontology IRI, read once
    label_index: LabelIndex  # the search index, rebuilt when the version changes
    void: list[ox.Triple] = field(default_factory=list)
    descriptions: dict[tuple[str, str, str], bytes] = field(default_factory=dict)  # (URL, version, type)


def state() -> ServiceState:
    """The state of the app handling the current request."""
    current: ServiceState = current_app.extensions[EXTENSION]
    return current
