"""The SPARQL 1.1 protocols: Query (``query``), Update (``update``), the Graph Store
(``graph_store``), the service description and VoID (``description``), health and metrics (``ops``)
and the OpenAPI document (``openapi``); with how a request is read (``operation``), negotiated
(``negotiation``), made conditional (``conditional``) and authorised (``auth``).
"""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> tuple[Blueprint, ...]:
    """The protocol routes, imported when an app is built (not when this package is)."""
    from rlskg.service.protocol import description, graph_store, openapi, ops, query, update

    return (query.bp, update.bp, graph_store.bp, description.bp, ops.bp, openapi.bp)
