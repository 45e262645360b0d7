"""Every IRI namespace of the project, and the prefix map that goes with them.

This is the only place the base IRI is written: the graph, the service and the tests import it.
Ontology terms live under ``ontology/``; data (sources, associations, figures, populations,
agents, cited works) under ``id/``; named graphs under ``graph/``.
"""

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, VOID, XSD

BASE = "https://w3id.org/rlskg/"

ONTOLOGY_IRI = BASE + "ontology"
# The knowledge graph's data model: an ontology of its own (ontology/rlskg-model.ttl), whose terms
# keep the rls: namespace.
MODEL_IRI = BASE + "model"
RLS = Namespace(BASE + "ontology/")
IMPORTS = Namespace(BASE + "ontology/imports/")
SRC = Namespace(BASE + "id/source/")
WORK = Namespace(BASE + "id/work/")
ASSOC = Namespace(BASE + "id/association/")
POP = Namespace(BASE + "id/population/")
FIG = Namespace(BASE + "id/figure/")
AGENT = Namespace(BASE + "id/agent/")
GRAPH = Namespace(BASE + "graph/")
# Skolem IRIs that stand for blank nodes in the built dataset (RDF 1.1 Concepts, 3.5).
GENID = Namespace(BASE + ".well-known/genid/")
# The whole dataset as its VoID description names it, with its class and property partitions
# under DATASET (dataset/class/..., dataset/property/...), and where its dump files are served.
DATASET_IRI = BASE + "dataset"
DATASET = Namespace(BASE + "dataset/")
DOWNLOAD = Namespace(BASE + "download/")
# SHACL shapes of the data (graph/shapes/data-shapes.ttl).
SHAPE = Namespace(BASE + "shape/")
# The licence of the dataset.
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")

# OBO annotation properties, by the names editors know them by.
IAO_DEFINITION = OBO.IAO_0000115
IAO_DEFINITION_SOURCE = OBO.IAO_0000119
IAO_EDITOR_NOTE = OBO.IAO_0000116

PREFIXES: dict[str, str] = {
    "rls": str(RLS),
    "src": str(SRC),
    "work": str(WORK),
    "assoc": str(ASSOC),
    "pop": str(POP),
    "fig": str(FIG),
    "agent": str(AGENT),
    "graph": str(GRAPH),
    "obo": str(OBO),
    "oboInOwl": str(OBOINOWL),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SDO),
    "cito": str(CITO),
    "fabio": str(FABIO),
    "bibo": str(BIBO),
    "foaf": str(FOAF),
    "void": str(VOID),
    "sd": str(SD),
    "sh": str(SH),
    "vann": str(VANN),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
