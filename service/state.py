"""What one app holds: its store, its settings, its metrics. Reached through ``state()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import current_app

from rlskg.graph.stores import Store
from rlskg.service.config import Settings

if TYPE_CHECKING:
    from rlskg.service.metrics import Metrics

EXTENSION = "rlskg"


@dataclass
class ServiceState:
    store: Store
    settings: Settings
    loaded: bool  # a dataset was loaded (health answers 503 until then)
    metrics: Metrics
    void: list[ox.Triple] = field(default_factory=list)
    descriptions: dict[tuple[str, str, str], bytes] = field(default_factory=dict)


def state() -> ServiceState:
    """The state of the app handling the current request."""
    current: ServiceState = current_app.extensions[EXTENSION]
    return current
