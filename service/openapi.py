"""The OpenAPI 3 description of every route, at /openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from service import conneg

bp = Blueprint("openapi", __name__)

_SOLUTIONS = [f.media_type for f in conneg.SOLUTION_FORMATS]
_GRAPHS = [f.media_type for f in conneg.GRAPH_FORMATS]


def _param(name: str, where: str, text: str, *, repeat: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if repeat:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": where, "description": text, "schema": schema}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {
        400: "Malformed request or query (the message gives the parser's line:column)",
        401: "Missing or wrong bearer token",
        403: "Read-only service, or a SERVICE/LOAD target outside the allow-list",
        404: "No such graph",
        406: "No acceptable format for this kind of result",
        413: "Request body too large",
        414: "Request URL too long",
        415: "Unsupported request Content-Type",
        503: "Stopped at the time limit or the result size limit",
    }
    return {
        str(c): {"description": texts[c], "content": {"text/plain": {}, "application/json": {}}}
        for c in codes
    }


def _content(types: list[str]) -> dict[str, Any]:
    return {t: {"schema": {"type": "string"}} for t in types}


QUERY = _param("query", "query", "A SPARQL 1.1 query")
DATASET = [
    _param("default-graph-uri", "query", "A graph of the default graph (replaces FROM)", repeat=True),
    _param("named-graph-uri", "query", "A named graph of the dataset (replaces FROM NAMED)", repeat=True),
]
FORMAT = _param(
    "format", "query", "Overrides Accept: json, xml, csv, tsv, ttl, nt, rdf, jsonld, trig, nq, n3"
)
GRAPH = [
    _param("graph", "query", "The IRI of a named graph"),
    _param("default", "query", "The default graph"),
]
READ_OK = {"description": "Results", "content": _content(_SOLUTIONS + _GRAPHS)}
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]


def document() -> dict[str, Any]:
    query_get = {
        "summary": "Query (or, without a query, the service description)",
        "parameters": [QUERY, *DATASET, FORMAT],
        "responses": {
            "200": READ_OK,
            "304": {"description": "Not modified"},
            **_errors(400, 403, 406, 414, 503),
        },
    }
    query_post = {
        "summary": "Query (form or direct body), or update (form or direct body, with the token)",
        "parameters": DATASET,
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}, "update": {"type": "string"}},
                    }
                },
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/sparql-update": {"schema": {"type": "string"}},
            }
        },
        "responses": {
            "200": READ_OK,
            "204": {"description": "Update applied"},
            **_errors(400, 401, 403, 406, 413, 415, 503),
        },
    }
    update = {
        "summary": "SPARQL 1.1 Update (all or nothing)",
        "security": SECURED,
        "requestBody": query_post["requestBody"],
        "responses": {"204": {"description": "Applied"}, **_errors(400, 401, 403, 413, 415)},
    }
    rdf_body = {"required": True, "content": _content(sorted(conneg.RDF_INPUT_TYPES))}
    store = {
        "get": {
            "summary": "A graph (?default or ?graph=IRI) or, with neither, the whole dataset",
            "parameters": [*GRAPH, FORMAT],
            "responses": {
                "200": {"description": "RDF", "content": _content(_GRAPHS)},
                **_errors(400, 404, 406, 503),
            },
        },
        "put": {
            "summary": "Replace a graph",
            "parameters": GRAPH,
            "security": SECURED,
            "requestBody": rdf_body,
            "responses": {
                "201": {"description": "Created"},
                "204": {"description": "Replaced"},
                **_errors(400, 401, 403, 413, 415),
            },
        },
        "post": {
            "summary": "Add to a graph",
            "parameters": GRAPH,
            "security": SECURED,
            "requestBody": rdf_body,
            "responses": {
                "201": {"description": "Created"},
                "204": {"description": "Merged"},
                **_errors(400, 401, 403, 413, 415),
            },
        },
        "delete": {
            "summary": "Delete a graph",
            "parameters": GRAPH,
            "security": SECURED,
            "responses": {"204": {"description": "Deleted"}, **_errors(401, 403, 404)},
        },
    }
    plain = {"200": {"description": "OK"}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "rlskg SPARQL service",
            "version": "1",
            "description": "SPARQL 1.1 Query, Update and Graph Store protocols over the Restless Legs "
            "Syndrome knowledge graph. The default graph is the union of all graphs.",
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/sparql": {"get": query_get, "post": query_post},
            "/update": {"post": update},
            "/store": store,
            "/service-description": {
                "get": {
                    "summary": "SPARQL Service Description and VoID",
                    "parameters": [FORMAT],
                    "responses": {
                        "200": {"description": "RDF", "content": _content(_GRAPHS)},
                        **_errors(406),
                    },
                }
            },
            "/health": {
                "get": {
                    "summary": "200 with size and version once loaded, else 503",
                    "responses": {"200": {"description": "Loaded"}, "503": {"description": "No data yet"}},
                }
            },
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": plain}},
            "/openapi.json": {"get": {"summary": "This document", "responses": plain}},
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())
