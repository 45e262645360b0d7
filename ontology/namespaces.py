"""Every IRI namespace of the project, and the prefix map that goes with them.

The graph, the service and the tests import them from here; the base IRI and the prefix map
themselves are written once, in ``ontology.prefixes``.
Ontology terms live under ``ontology/``; data (sources, associations, figures, populations,
agents, cited works) under ``id/``; named graphs under ``graph/``.
"""

from rdflib import Graph, Namespace

# The base IRI and the prefix map are written in ontology.prefixes (plain strings, no rdflib).
from rlskg.ontology.prefixes import BASE as BASE
from rlskg.ontology.prefixes import PREFIXES as PREFIXES

ONTOLOGY_IRI = BASE + "ontology"
# The knowledge graph's data model: an ontology of its own (ontology/rlskg-model.ttl), whose terms
# keep the rls: namespace.
MODEL_IRI = BASE + "model"
RLS = Namespace(PREFIXES["rls"])
IMPORTS = Namespace(BASE + "ontology/imports/")
SRC = Namespace(PREFIXES["src"])
WORK = Namespace(PREFIXES["work"])
ASSOC = Namespace(PREFIXES["assoc"])
POP = Namespace(PREFIXES["pop"])
FIG = Namespace(PREFIXES["fig"])
AGENT = Namespace(PREFIXES["agent"])
GRAPH = Namespace(PREFIXES["graph"])
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

OBO = Namespace(PREFIXES["obo"])
OBOINOWL = Namespace(PREFIXES["oboInOwl"])
CITO = Namespace(PREFIXES["cito"])
FABIO = Namespace(PREFIXES["fabio"])
BIBO = Namespace(PREFIXES["bibo"])
FOAF = Namespace(PREFIXES["foaf"])
SD = Namespace(PREFIXES["sd"])
SH = Namespace(PREFIXES["sh"])
VANN = Namespace(PREFIXES["vann"])

# OBO annotation properties, by the names editors know them by.
IAO_DEFINITION = OBO.IAO_0000115
IAO_DEFINITION_SOURCE = OBO.IAO_0000119
IAO_EDITOR_NOTE = OBO.IAO_0000116


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
