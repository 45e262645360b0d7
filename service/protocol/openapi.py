"""The OpenAPI 3 description of every route, at /openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from rlskg.service.protocol import negotiation

bp = Blueprint("openapi", __name__)

_SOLUTIONS = [f.media_type for f in negotiation.SOLUTION_FORMATS]
_GRAPHS = [f.media_type for f in negotiation.GRAPH_FORMATS]
_RELEASE = [
    "application/rdf+xml",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "text/obo",  # rls.obo (service/pages/release.py)
    "application/json",  # rls.json, OBO Graphs
]
_MODEL = [
    "application/rdf+xml",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
]  # rlskg-model.owl
_DOCUMENT = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/n3"]


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
DIRECT_PATH = _param("path", "path", "The rest of the graph's URL, after /store/")
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
    rdf_types = _content(sorted(negotiation.RDF_INPUT_TYPES))
    rdf_body = {"required": True, "content": rdf_types}
    multipart = {"multipart/form-data": {"schema": {"type": "object"}}}  # file parts, each in an RDF type
    multipart_body = {"required": True, "content": {**rdf_types, **multipart}}
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
            "summary": "Add to a graph; with neither ?graph nor ?default, make a new graph (201, Location)",
            "parameters": GRAPH,
            "security": SECURED,
            "requestBody": multipart_body,
            "responses": {
                "201": {"description": "Created: the Location header names the graph"},
                "204": {"description": "Merged"},
                **_errors(400, 401, 403, 413, 415),
            },
        },
        "delete": {
            "summary": "Delete a graph",
            "parameters": GRAPH,
            "security": SECURED,
            "responses": {"204": {"description": "Deleted"}, **_errors(400, 401, 403, 404)},
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
            "/store/{path}": {  # direct graph identification: the graph whose IRI is the URL
                method: {**store[method], "summary": summary, "parameters": [DIRECT_PATH]}
                for method, summary in (
                    ("get", "The graph whose IRI is this URL"),
                    ("put", "Replace the graph whose IRI is this URL"),
                    ("post", "Add to the graph whose IRI is this URL"),
                    ("delete", "Delete the graph whose IRI is this URL"),
                )
            },
            "/service-description": {
                "get": {
                    "summary": "SPARQL Service Description and VoID",
                    "parameters": [FORMAT],
                    "responses": {
                        "200": {"description": "RDF", "content": _content(_GRAPHS)},
                        **_errors(400, 406),
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
            **_pages(),
        },
    }


def _pages() -> dict[str, Any]:
    """Linked-data pages, label search and the query UI (service/pages.py, search.py, ui.py)."""
    html: dict[str, Any] = {"text/html": {}}
    see_other = {
        "303": {"description": "See Other: the IRI's document, /doc/..."},
        "404": {"description": "Unknown"},
    }
    name = _param("name", "path", "A local name")
    return {
        "/": {
            "get": {
                "summary": "Home page (HTML); RDF clients get the service description",
                "responses": {"200": {"description": "OK", "content": {**html, **_content(_GRAPHS)}}},
            }
        },
        "/ontology": {"get": {"summary": "The ontology IRI", "responses": see_other}},
        "/ontology.{suffix}": {
            "get": {
                "summary": "The ontology release in one format: the full product (imports merged, "
                "classified) as RDF, or the simple product as OBO (rls.obo) or OBO Graphs JSON (rls.json)",
                "parameters": [
                    _param("suffix", "path", "owl, rdf or xml (RDF/XML), ttl, jsonld, nt, obo or json")
                ],
                "responses": {
                    "200": {"description": "The release", "content": _content(_RELEASE)},
                    "304": {"description": "Not modified"},
                    "404": {"description": "No such form"},
                },
            }
        },
        "/ontology-{variant}.{suffix}": {
            "get": {
                "summary": "The base product (the project's own axioms) or the simple product (the "
                "named-class hierarchy) in one RDF format",
                "parameters": [
                    _param("variant", "path", "base or simple"),
                    _param("suffix", "path", "owl, rdf or xml (RDF/XML), ttl or nt"),
                ],
                "responses": {
                    "200": {"description": "The product", "content": _content(_RELEASE[:2] + _RELEASE[3:4])},
                    "304": {"description": "Not modified"},
                    "404": {"description": "No such product or form"},
                },
            }
        },
        "/ontology/releases/{version}/{name}": {
            "get": {
                "summary": "The versionIRIs (rls.owl, rls-base.owl, rls-simple.owl, rls.obo, rls.json) and "
                "each product in its other formats (rls.ttl, rls-base.ttl, ...)",
                "parameters": [
                    _param("version", "path", "The release's date, as in owl:versionIRI"),
                    _param("name", "path", "rls.owl, rls-base.ttl, rls-simple.nt, rls.obo, rls.json, ..."),
                ],
                "responses": {
                    "200": {"description": "The release", "content": _content(_RELEASE)},
                    "404": {"description": "Not the version served"},
                },
            }
        },
        "/ontology/{name}": {"get": {"summary": "A term IRI", "parameters": [name], "responses": see_other}},
        "/model": {
            "get": {
                "summary": "The data model's IRI (association nodes, figures, claim strengths: an ontology "
                "of its own, rlskg-model.owl): RDF/XML when Accept says nothing, Turtle, N-Triples or "
                "JSON-LD; browsers get the Turtle as plain text",
                "responses": {
                    "200": {"description": "The data model", "content": _content(_MODEL)},
                    "304": {"description": "Not modified"},
                    **_errors(406),
                },
            }
        },
        "/model.{suffix}": {
            "get": {
                "summary": "The data model's release in one RDF format",
                "parameters": [_param("suffix", "path", "owl, rdf or xml (RDF/XML), ttl, nt or jsonld")],
                "responses": {
                    "200": {"description": "The data model", "content": _content(_MODEL)},
                    "304": {"description": "Not modified"},
                    "404": {"description": "No such form"},
                },
            }
        },
        "/model/releases/{version}/{name}": {
            "get": {
                "summary": "The data model's versionIRI (rlskg-model.owl) and its other formats "
                "(rlskg-model.ttl, rlskg-model.nt)",
                "parameters": [
                    _param("version", "path", "The release's date, as in owl:versionIRI"),
                    _param("name", "path", "rlskg-model.owl, rlskg-model.ttl or rlskg-model.nt"),
                ],
                "responses": {
                    "200": {"description": "The data model", "content": _content(_MODEL)},
                    "404": {"description": "Not the version served"},
                },
            }
        },
        "/.well-known/genid/{name}": {
            "get": {
                "summary": "A skolem IRI (a blank node named by the build): 303 to the triples it stands in",
                "parameters": [name],
                "responses": see_other,
            }
        },
        "/graph/{name}": {
            "get": {
                "summary": "A named graph's IRI: 303 to its Graph Store document /store?graph=IRI "
                "(browsers: to its entry on /dataset)",
                "parameters": [name],
                "responses": see_other,
            }
        },
        "/dataset": {
            "get": {
                "summary": "The dataset's IRI: its VoID description, with void:sparqlEndpoint and a DCAT "
                "description of the dumps (dcat:byteSize, spdx:checksum SHA-256); HTML for browsers",
                "parameters": [FORMAT],
                "responses": {
                    "200": {"description": "OK", "content": {**html, **_content(_DOCUMENT)}},
                    "304": {"description": "Not modified"},
                    **_errors(400, 406),
                },
            }
        },
        "/dataset/{kind}/{slug}": {
            "get": {
                "summary": "A VoID class or property partition of the dataset (kind: class or property)",
                "parameters": [
                    _param("kind", "path", "class or property"),
                    _param("slug", "path", "rls-Association, rdfs-label, ..."),
                    FORMAT,
                ],
                "responses": {
                    "200": {"description": "OK", "content": {**html, **_content(_DOCUMENT)}},
                    "404": {"description": "No such partition"},
                    **_errors(406),
                },
            }
        },
        "/download/{name}": {
            "get": {
                "summary": "A dump the VoID names (dataset.nq, dataset.trig), with Repr-Digest (SHA-256), "
                "or its checksum file (dataset.nq.sha256, in sha256sum's format)",
                "parameters": [_param("name", "path", "dataset.nq, dataset.trig, dataset.nq.sha256, ...")],
                "responses": {
                    "200": {
                        "description": "The file",
                        "content": {
                            "application/n-quads": {},
                            "application/trig": {},
                            "text/plain": {},
                        },
                    },
                    "304": {"description": "Not modified"},
                    "404": {"description": "No such file"},
                },
            }
        },
        "/id/{kind}/{name}": {
            "get": {
                "summary": "A data IRI (kind: source, association, figure, population, agent, work)",
                "parameters": [_param("kind", "path", "The kind of node"), name],
                "responses": see_other,
            }
        },
        "/doc/{path}": {
            "get": {
                "summary": "The document of a local IRI: an HTML page, or its description (own triples, "
                "association nodes with figures, labels of what it links to); the suffixes .ttl, .jsonld, "
                ".rdf, .nt, .html override Accept. /doc/ontology is the pyLODE documentation or the ontology",
                "parameters": [_param("path", "path", "ontology/Leg, id/source/nhs.ttl, ...")],
                "responses": {
                    "200": {"description": "OK", "content": {**html, **_content(_GRAPHS[:4])}},
                    "304": {"description": "Not modified"},
                    "404": {"description": "Unknown"},
                    **_errors(406),
                },
            }
        },
        "/api/search": {
            "get": {
                "summary": "Label search (labels and synonyms, case-insensitive, best first)",
                "parameters": [
                    {**_param("q", "query", "The text to look for"), "required": True},
                    {
                        "name": "limit",
                        "in": "query",
                        "description": "At most this many (1-50, default 10)",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "Matches",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            k: {"type": "string"}
                                            for k in ("iri", "label", "type", "kind", "href")
                                        },
                                    },
                                }
                            }
                        },
                    },
                    **_errors(400),
                },
            }
        },
        "/search": {
            "get": {
                "summary": "Label search as an HTML page",
                "parameters": [_param("q", "query", "Text")],
                "responses": {"200": {"description": "OK", "content": html}},
            }
        },
        "/query": {
            "get": {
                "summary": "The query UI (YASGUI) with the example queries",
                "parameters": [
                    _param("query", "query", "A query to open"),
                    _param("example", "query", "A competency question's name"),
                ],
                "responses": {"200": {"description": "OK", "content": html}},
            }
        },
        "/api": {
            "get": {
                "summary": "This document for people (Swagger UI; a route table without JavaScript)",
                "responses": {"200": {"description": "OK", "content": html}},
            }
        },
        "/claims": {
            "get": {
                "summary": "Every claim (association) in one table: strength, figures, population, source "
                "and section; narrowed by about (a term IRI), source (a source IRI) and strength",
                "parameters": [
                    _param("about", "query", "A term's IRI, as subject or object"),
                    _param("source", "query", "A source's IRI"),
                    _param("strength", "query", "A claim strength's IRI (rls:Established, ...)"),
                ],
                "responses": {"200": {"description": "OK", "content": html}, **_errors(400)},
            }
        },
        "/robots.txt": {
            "get": {
                "summary": "Keeps crawlers off the routes that evaluate queries; names the sitemap",
                "responses": {"200": {"description": "OK", "content": {"text/plain": {}}}},
            }
        },
        "/sitemap.xml": {
            "get": {
                "summary": "Every page: home, dataset, ontology docs and each resource's /doc/ page",
                "responses": {"200": {"description": "OK", "content": {"application/xml": {}}}},
            }
        },
        "/favicon.ico": {
            "get": {
                "summary": "The site's icon (SVG)",
                "responses": {"200": {"description": "OK", "content": {"image/svg+xml": {}}}},
            }
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())
