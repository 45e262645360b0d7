"""HTML documentation of the ontology, made by pyLODE (its OntPub profile) from the merged release.

pyLODE shows a term's definition from skos:definition, rdfs:comment or dcterms:description; OBO
definitions are ``obo:IAO_0000115``, so the copy given to pyLODE gets each one as skos:definition
too. The release files themselves are not changed.
"""

import logging
import warnings
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import SKOS

from rlskg.conventions import DEFAULT_OUT
from rlskg.ontology.namespaces import IAO_DEFINITION, bind_prefixes
from rlskg.ontology.release import release_graph

DOCS_DIR = DEFAULT_OUT / "docs"


def docs_graph(path: Path | None = None) -> Graph:
    """The merged ontology with every IAO definition also stated as skos:definition (for pyLODE)."""
    graph = bind_prefixes(Graph())
    graph += release_graph(path)
    for term, definition in list(graph.subject_objects(IAO_DEFINITION)):
        if (term, SKOS.definition, None) not in graph:
            graph.add((term, SKOS.definition, definition))
    return graph


def write_docs(out_dir: Path | None = None, path: Path | None = None) -> Path:
    """Write ``index.html`` (with its CSS inline) into ``out_dir`` (default ``build/docs``).

    :raises OntologySourceError: the edit file or an import cannot be loaded.
    """
    out_dir = out_dir or DOCS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    with warnings.catch_warnings():
        # pyLODE 3.3 reads its CSS with open(...).read() and never closes the file.
        warnings.simplefilter("ignore", ResourceWarning)
        html = _ontpub()(ontology=docs_graph(path)).make_html()
    page.write_text(html, encoding="utf-8")
    return page


def _ontpub() -> Any:
    """pyLODE's OntPub class, imported only when docs are made: importing pylode sets the root
    logger to DEBUG with its own handler (pylode/server.py), which we undo."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    from pylode import OntPub

    root.setLevel(level)
    root.handlers[:] = handlers
    return OntPub
