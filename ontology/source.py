"""Where the ontology's source files are, and how to load them: the edit file plus its imports.

Imports are resolved only through ``catalog-v001.xml`` beside the edit file (the file Protege and
ROBOT read), never through the network: an import the catalog does not map is an error.
"""

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.plugins.parsers.notation3 import BadSyntax

from rlskg.ontology.namespaces import bind_prefixes

PACKAGE_DIR = Path(__file__).resolve().parent
EDIT_FILE = PACKAGE_DIR / "rls.ttl"
# The knowledge graph's data model (association nodes, figures, claim strengths): a module of its
# own, with its own ontology IRI, that imports the disease ontology (which does not import it back).
MODEL_FILE = PACKAGE_DIR / "rlskg-model.ttl"
IMPORTS_DIR = PACKAGE_DIR / "imports"
CATALOG_FILE = PACKAGE_DIR / "catalog-v001.xml"

CATALOG_NAME = "catalog-v001.xml"
_IMPORT_FORMATS = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".nt": "nt"}
_FORMAT_NAMES = {"turtle": "Turtle", "xml": "RDF/XML", "nt": "N-Triples"}
_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


class OntologySourceError(Exception):
    """A source file cannot be used: it does not parse, or an import cannot be resolved."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


def catalog_for(path: Path) -> Path:
    """The catalog that belongs to the edit file ``path``: ``catalog-v001.xml`` in its folder."""
    return path.parent / CATALOG_NAME


def load_catalog(path: Path | None = None) -> dict[str, Path]:
    """Map each import IRI of the catalog at ``path`` to its local file (resolved beside the catalog).

    :raises OntologySourceError: the catalog is missing or is not well-formed XML.
    """
    path = path or CATALOG_FILE
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise OntologySourceError(path, None, "catalog file not found") from None
    except ET.ParseError as error:
        raise OntologySourceError(path, error.position[0], f"not well-formed XML: {error}") from None
    mappings: dict[str, Path] = {}
    # iter() also finds <uri> inside <group>, which Protege writes when it edits a catalog.
    for element in root.iter(f"{_CATALOG_NS}uri"):
        name, uri = element.get("name"), element.get("uri")
        if name and uri:
            mappings[name] = (path.parent / uri).resolve()
    return mappings


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file, with the project's prefixes bound.

    :raises OntologySourceError: the file is missing or is not valid Turtle (with the line).
    """
    return _parse(path, "turtle")


def _parse(path: Path, rdf_format: str) -> Graph:
    # Only our prefixes and the file's own: rdflib's defaults would leak into `rlskg fmt` output.
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    invalid = f"invalid {_FORMAT_NAMES.get(rdf_format, rdf_format)}"
    try:
        graph.parse(path, format=rdf_format)
    except FileNotFoundError:
        raise OntologySourceError(path, None, "file not found") from None
    except BadSyntax as error:
        # BadSyntax counts lines from 0; its own message has the context, which we keep short.
        raise OntologySourceError(path, error.lines + 1, f"{invalid}: {error._why}") from None
    except SAXParseException as error:
        raise OntologySourceError(path, error.getLineNumber(), f"{invalid}: {error.getMessage()}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise OntologySourceError(path, None, f"{invalid}: {error}") from None
    return graph


def ontology_iri(graph: Graph) -> URIRef | None:
    """The IRI of the graph's owl:Ontology, or None when it declares none (or only a blank one)."""
    for subject in sorted(graph.subjects(RDF.type, OWL.Ontology), key=str):
        if isinstance(subject, URIRef):
            return subject
    return None


def resolve_imports(path: Path) -> list[tuple[str, Path]]:
    """Every ontology the edit file imports, directly or not, as (import IRI, local file), in load order.

    :raises OntologySourceError: a file does not parse, or an import is missing from the catalog
        or maps to a file that does not exist.
    """
    return [(iri, target) for iri, target, _graph in _import_closure(path, parse_turtle(path))]


def load_ontology(path: Path | None = None, with_imports: bool = True) -> Graph:
    """Load the edit file (default ``ontology/rls.ttl``), merged with its import closure.

    With imports, the result is the import closure as one ontology, as ``robot merge`` makes it:
    the imported files' triples are added, their own ontology headers are dropped and the
    ``owl:imports`` statements removed, so that no consumer (owlready2, a release file) follows
    them to the network. Without imports, the edit file exactly as parsed.

    :raises OntologySourceError: a file does not parse or an import cannot be resolved.
    """
    path = path or EDIT_FILE
    graph = parse_turtle(path)
    if not with_imports:
        return graph
    for _iri, _target, imported in _import_closure(path, graph):
        imported_iri = ontology_iri(imported)
        graph += (triple for triple in imported if imported_iri is None or triple[0] != imported_iri)
    graph.remove((None, OWL.imports, None))
    return graph


def load_with_model(path: Path | None = None, model: Path | None = None) -> Graph:
    """The disease ontology ``path`` (default ``ontology/rls.ttl``) with its imports merged, plus
    the data model's own triples (default ``ontology/rlskg-model.ttl``), both ontology headers kept
    and no ``owl:imports``: the ontology graph of the dataset, which the data and its pages read.

    :raises OntologySourceError: a file does not parse or an import cannot be resolved.
    """
    graph = load_ontology(path)
    graph += load_ontology(model or MODEL_FILE, with_imports=False)
    graph.remove((None, OWL.imports, None))
    return graph


def is_model(path: Path) -> bool:
    """Whether ``path`` is the data model's edit file (rather than the disease ontology's)."""
    return path.resolve() == MODEL_FILE.resolve()


def _import_closure(path: Path, graph: Graph) -> list[tuple[str, Path, Graph]]:
    """Follow owl:imports from ``graph`` (parsed from ``path``) breadth first, through the catalog."""
    catalog_path = catalog_for(path)
    catalog: dict[str, Path] | None = None
    closure: list[tuple[str, Path, Graph]] = []
    seen: set[str] = set()
    pending: list[tuple[Path, Graph]] = [(path, graph)]
    while pending:
        importer, importing = pending.pop(0)
        for iri in sorted(str(o) for o in importing.objects(None, OWL.imports)):
            if iri in seen:
                continue
            seen.add(iri)
            if catalog is None:
                if not catalog_path.is_file():
                    reason = f"imports <{iri}>, but there is no {catalog_path} to resolve it"
                    raise OntologySourceError(importer, _line_of(importer, iri), reason)
                catalog = load_catalog(catalog_path)
            target = catalog.get(iri)
            if target is None:
                reason = f"import <{iri}> is not mapped in {catalog_path}"
                raise OntologySourceError(importer, _line_of(importer, iri), reason)
            if not target.is_file():
                reason = f"import <{iri}> maps to {target}, which does not exist"
                raise OntologySourceError(catalog_path, _line_of(catalog_path, iri), reason)
            # an import may be Turtle or, as ODK writes them, RDF/XML (.owl)
            imported = _parse(target, _IMPORT_FORMATS.get(target.suffix, "turtle"))
            closure.append((iri, target, imported))
            pending.append((target, imported))
    return closure


def _line_of(path: Path, text: str) -> int | None:
    """The first line of ``path`` that contains ``text`` (to point an editor at it), if any."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, line in enumerate(lines, start=1) if text in line), None)
