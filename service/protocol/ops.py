"""Health and metrics, for load balancers and Prometheus."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST

from rlskg.service import metrics
from rlskg.service.state import state

bp = Blueprint("ops", __name__)


@bp.get("/health")
def health() -> Response:
    """200 with the dataset's size and version once data is loaded; 503 before."""
    current = state()
    if not current.loaded:
        response = jsonify(status="unavailable", message="no dataset loaded: start with --out or --data")
        response.status_code = 503
    else:
        stats = current.store.stats()
        response = jsonify(
            status="ok", triples=stats.triples, graphs=len(stats.graphs), version=stats.version
        )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def prometheus() -> Response:
    """Prometheus text format."""
    response = Response(metrics.exposition(state().metrics.registry), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
