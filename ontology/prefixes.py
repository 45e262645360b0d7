"""The project's base IRI and prefix map, as plain strings.

Importing this module imports nothing: an evaluator process (graph.stores.evaluator), which only
parses and answers queries, needs the prefixes but not rdflib (27 MiB in each such process).
``ontology.namespaces`` builds the rdflib ``Namespace`` objects from these strings.
"""

from __future__ import annotations

BASE = "https://w3id.org/rlskg/"

PREFIXES: dict[str, str] = {
    "rls": BASE + "ontology/",
    "src": BASE + "id/source/",
    "work": BASE + "id/work/",
    "assoc": BASE + "id/association/",
    "pop": BASE + "id/population/",
    "fig": BASE + "id/figure/",
    "agent": BASE + "id/agent/",
    "graph": BASE + "graph/",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "cito": "http://purl.org/spar/cito/",
    "fabio": "http://purl.org/spar/fabio/",
    "bibo": "http://purl.org/ontology/bibo/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
}
