"""Import modules extracted from upstream ontologies, as ODK makes them (``make refresh-imports``).

Each module has a seed list, ``imports/<name>_terms.txt`` (one CURIE a line, ``# label`` after
it, as ODK's), and is written to ``imports/<name>_import.ttl`` with the ontology IRI
``https://w3id.org/rlskg/ontology/imports/<name>_import.owl`` (the catalog maps it to the file).
Two extraction methods, as ODK offers them:

- ``BOT``: the syntactic-locality module (SLME, ``robot extract --method BOT``, ODK's default),
  made by the OWL API (``owlapi/OwlTool.java extract``), filtered as ODK filters its imports:
  no SWRL rule, no axiom about an individual (ODK's ``slme_individuals: exclude``), no axiom
  annotation, and of the annotations only :data:`ANNOTATIONS` (ODK's default
  ``annotation_properties``). Reads whatever the OWL API reads (RDF/XML, OBO, Turtle, ...).
- ``MIREOT``: each seed term, its named superclasses up to the root (or up to the module's upper
  terms, ROBOT's ``--upper-term``), their subclass axioms and :data:`ANNOTATIONS`, with rdflib
  (``robot extract --method MIREOT``; ODK's choice for very large ontologies such as ChEBI, whose
  full SLME module would be large). Reads RDF (RDF/XML, Turtle, N-Triples, JSON-LD).

When no release file of an ontology can be read, its release reports can stand in for it:
:func:`tables_graph` makes an upstream file (classes, labels, named superclasses) from a label
table and an edge table (``reports/class-stats.tsv`` and ``reports/edges.tsv``, as Mondo commits
them with each release), for MIREOT (``rlskg imports tables``).

Every term in a module comes from the upstream file it was extracted from: a seed that the file
does not declare is an error, never a made-up stub. The header records the upstream release
(``dcterms:source``) and the date of the extraction (``owl:versionIRI``, ``owl:versionInfo``).
"""

import csv
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.plugins.parsers.notation3 import BadSyntax

from rlskg.ontology import owlapi
from rlskg.ontology.fmt import format_graph
from rlskg.ontology.namespaces import IAO_DEFINITION, IMPORTS, OBO, bind_prefixes
from rlskg.ontology.source import IMPORTS_DIR

# ODK's default annotation_properties for import modules (rdfs:label, IAO:0000115 definition).
ANNOTATIONS = (RDFS.label, IAO_DEFINITION)
METHODS = ("BOT", "MIREOT")
_RDF_FORMATS = {
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
}
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9]*):([A-Za-z0-9_]+)$")
_DATA_VERSION = re.compile(r"^data-version:\s*(\S+)\s*$", re.MULTILINE)
_OBO_ONTOLOGY = re.compile(r"^ontology:\s*(\S+)\s*$", re.MULTILINE)


class ExtractError(Exception):
    """An upstream file or a seed list cannot be used; the message names the file."""


@dataclass(frozen=True)
class ModuleSpec:
    """One import module: its name (``chebi``: ``chebi_terms.txt``, ``chebi_import.ttl``), its title,
    the extraction method (ODK's ``module_type``) and, for MIREOT, the upper terms (CURIEs) above
    which no superclass is taken (ROBOT's ``--upper-term``; none: up to the root)."""

    name: str
    title: str
    method: str
    upper: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return IMPORTS[f"{self.name}_import.owl"]

    def terms_file(self, folder: Path = IMPORTS_DIR) -> Path:
        return folder / f"{self.name}_terms.txt"

    def module_file(self, folder: Path = IMPORTS_DIR) -> Path:
        return folder / f"{self.name}_import.ttl"


# What odk.yaml's import_group says for ODK: which module, made how.
MODULES: dict[str, ModuleSpec] = {
    spec.name: spec
    for spec in (
        ModuleSpec("ro", "OBO Relations Ontology (RO) module", "BOT"),
        ModuleSpec("uberon", "Uberon anatomy module", "BOT"),
        ModuleSpec("chebi", "ChEBI module", "MIREOT"),
        ModuleSpec("hp", "Human Phenotype Ontology (HPO) module", "BOT"),
        # Up to 'disease': Mondo puts it under BFO's 'disposition', which the project does not use.
        ModuleSpec("mondo", "Mondo Disease Ontology (MONDO) module", "MIREOT", upper=("MONDO:0000001",)),
    )
}


def curie_iri(text: str) -> URIRef | None:
    """The OBO PURL of a CURIE (``MONDO:0000001``), the IRI itself for an http(s) IRI, else None.

    >>> str(curie_iri("MONDO:0000001")), curie_iri("not a curie")
    ('http://purl.obolibrary.org/obo/MONDO_0000001', None)
    """
    match = _CURIE.match(text)
    if match:
        return OBO[f"{match.group(1)}_{match.group(2)}"]
    if text.startswith(("http://", "https://")) and not any(c in text for c in '<>"{}|\\^` '):
        return URIRef(text)
    return None


def read_terms(path: Path) -> list[URIRef]:
    """The seed terms of an ODK term file: one CURIE (``CHEBI:18243``) or full IRI a line; what
    follows ``#`` is a comment (the label, for the reader).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x_terms.txt"
    >>> _ = p.write_text("CHEBI:18243 # dopamine\\n\\n# a comment line\\n")
    >>> [str(t) for t in read_terms(p)]
    ['http://purl.obolibrary.org/obo/CHEBI_18243']

    :raises ExtractError: the file is missing, or a line is neither a CURIE nor an IRI.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ExtractError(f"{path}: cannot read the term list: {error}") from None
    terms: list[URIRef] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        text = stripped.split()[0]
        term = curie_iri(text)
        if term is None:
            raise ExtractError(f"{path}:{number}: not a CURIE or an IRI: {text!r}")
        terms.append(term)
    if not terms:
        raise ExtractError(f"{path}: no terms")
    return terms


def source_release(upstream: Path) -> URIRef | None:
    """What the upstream file says it is: its ``owl:versionIRI``, else its ontology IRI (RDF); for
    OBO, the PURL its ``data-version`` names (``hp/releases/2025-01-16`` and ``hp.obo`` give
    ``http://purl.obolibrary.org/obo/hp/releases/2025-01-16/hp.obo``), else the ontology IRI its
    ``ontology`` header gives (``uberon/subsets/efo-slim``: ``.../obo/uberon/subsets/efo-slim.owl``).
    None when it says none of these.

    :raises ExtractError: the file cannot be read.
    """
    if upstream.suffix == ".obo":
        try:
            text = upstream.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise ExtractError(f"{upstream}: cannot read: {error}") from None
        head = text.split("[Term]", 1)[0]
        version = _DATA_VERSION.search(head)
        if version and "/releases/" in version.group(1):
            return URIRef(f"{OBO}{version.group(1)}/{upstream.name}")
        name = _OBO_ONTOLOGY.search(head)
        return URIRef(f"{OBO}{name.group(1)}.owl") if name else None
    graph = parse_upstream(upstream)
    for header in sorted(graph.subjects(RDF.type, OWL.Ontology), key=str):
        if isinstance(header, URIRef):
            release = graph.value(header, OWL.versionIRI)
            return release if isinstance(release, URIRef) else header
    return None


def parse_upstream(upstream: Path) -> Graph:
    """Parse an RDF upstream file (by its suffix).

    :raises ExtractError: unknown suffix, missing file, or not valid RDF.
    """
    rdf_format = _RDF_FORMATS.get(upstream.suffix)
    if rdf_format is None:
        known = ", ".join(sorted(_RDF_FORMATS))
        raise ExtractError(
            f"{upstream}: cannot read {upstream.suffix or 'a file without suffix'} as RDF ({known})"
        )
    graph = Graph()
    try:
        graph.parse(upstream, format=rdf_format)
    except FileNotFoundError:
        raise ExtractError(f"{upstream}: file not found") from None
    except (BadSyntax, SAXParseException, ValueError, UnicodeDecodeError) as error:
        raise ExtractError(f"{upstream}: not valid {rdf_format}: {str(error).splitlines()[0]}") from None
    return graph


def extract_bot(upstream: Path, terms: Iterable[URIRef]) -> Graph:
    """The filtered SLME BOT module of ``upstream`` for ``terms``, through the OWL API.

    :raises ExtractError: the OWL API cannot read the file, or it lacks a seed term.
    :raises owlapi.OwlApiUnavailable: no Java or no OWL API here.
    """
    if not upstream.is_file():
        raise ExtractError(f"{upstream}: file not found")
    with tempfile.TemporaryDirectory(prefix="rlskg-extract-") as folder:
        seeds = Path(folder) / "seeds.txt"
        seeds.write_text("".join(f"{term}\n" for term in terms), encoding="utf-8")
        out = Path(folder) / "module.owl"
        props = ",".join(str(p) for p in ANNOTATIONS)
        try:
            completed = owlapi.run_tool(
                "extract", str(upstream.resolve()), str(seeds), str(out), "BOT", props
            )
        except subprocess.TimeoutExpired:
            raise ExtractError(f"{upstream}: the OWL API took too long") from None
        missing = [
            line.split("\t", 1)[1] for line in completed.stdout.splitlines() if line.startswith("MISSING\t")
        ]
        if missing:
            raise ExtractError(f"{upstream}: does not declare {', '.join(sorted(missing))}")
        if completed.returncode != 0 or not out.is_file():
            raise ExtractError(f"{upstream}: {owlapi.failure(completed)}")
        module = Graph()
        module.parse(out, format="xml")
    for header in list(module.subjects(RDF.type, OWL.Ontology)):
        module.remove((header, None, None))
    return module


def extract_mireot(
    upstream: Graph, terms: Iterable[URIRef], name: str = "upstream", upper: Iterable[URIRef] = ()
) -> Graph:
    """The MIREOT module of ``upstream`` for ``terms``: each term and its named superclasses (up to
    the ``upper`` terms, whose own superclasses are left out), their ``rdfs:subClassOf`` links among
    themselves and their :data:`ANNOTATIONS`.

    :raises ExtractError: a term (or an upper term) is not a class of ``upstream`` (``name`` says
        which file).
    """
    module = Graph()
    pending = list(terms)
    tops = set(upper)
    missing = sorted(str(t) for t in {*pending, *tops} if (t, RDF.type, OWL.Class) not in upstream)
    if missing:
        raise ExtractError(f"{name}: does not declare {', '.join(missing)}")
    seen: set[URIRef] = set()
    while pending:
        term = pending.pop()
        if term in seen:
            continue
        seen.add(term)
        module.add((term, RDF.type, OWL.Class))
        for prop in ANNOTATIONS:
            for value in upstream.objects(term, prop):
                if isinstance(value, Literal):
                    module.add((term, prop, value))
        if term in tops:
            continue
        for parent in upstream.objects(term, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent != OWL.Thing:
                module.add((term, RDFS.subClassOf, parent))
                pending.append(parent)
    return module


def build_module(
    spec: ModuleSpec,
    upstream: Path,
    terms: list[URIRef],
    source: URIRef | None = None,
    note: str = "",
    today: date | None = None,
) -> Graph:
    """The module ``spec`` extracted from ``upstream``, with its header: ontology IRI, versionIRI
    and versionInfo of the extraction date, ``dcterms:source`` (``source``, else what the file says
    of its release), and an ``rdfs:comment`` of how it was made (with ``note``: where the file was
    read).

    :raises ExtractError: see :func:`extract_bot`, :func:`parse_upstream`, :func:`extract_mireot`.
    """
    if spec.method == "BOT":
        module = extract_bot(upstream, terms)
    else:
        upper = [iri for curie in spec.upper if (iri := curie_iri(curie)) is not None]
        module = extract_mireot(parse_upstream(upstream), terms, str(upstream), upper)
    module = _strip_blank_ontologies(module)
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in module:
        graph.add(triple)
    day = (today or date.today()).isoformat()
    header = spec.iri
    graph.add((header, RDF.type, OWL.Ontology))
    graph.add((header, OWL.versionIRI, IMPORTS[f"releases/{day}/{spec.name}_import.owl"]))
    graph.add((header, OWL.versionInfo, Literal(day)))
    graph.add((header, DCTERMS.title, Literal(f"{spec.title} for rlskg", lang="en")))
    release = source or source_release(upstream)
    if release is not None:
        graph.add((header, DCTERMS.source, release))
    how = (
        "the syntactic-locality module (SLME, BOT) of the seed terms, made with the OWL API"
        if spec.method == "BOT"
        else "a MIREOT extract: each seed term with its named superclasses"
        + (f" up to {', '.join(spec.upper)}" if spec.upper else "")
    )
    comment = (
        f"Made by `rlskg imports refresh --ontology {spec.name}` from {upstream.name}: {how}, "
        f"with rdfs:label and IAO:0000115 only (ODK's default annotation properties); the seed "
        f"terms are in {spec.name}_terms.txt. Do not edit: refresh it."
    )
    graph.add((header, RDFS.comment, Literal(f"{comment} {note}".strip(), lang="en")))
    graph.add((DCTERMS.source, RDF.type, OWL.AnnotationProperty))
    graph.add((DCTERMS.title, RDF.type, OWL.AnnotationProperty))
    return graph


def refresh_module(
    spec: ModuleSpec,
    upstream: Path,
    folder: Path = IMPORTS_DIR,
    source: URIRef | None = None,
    note: str = "",
    today: date | None = None,
) -> Path:
    """Rebuild ``imports/<name>_import.ttl`` from ``upstream`` and the seed list; return its path.

    :raises ExtractError: as :func:`build_module` and :func:`read_terms`.
    """
    terms = read_terms(spec.terms_file(folder))
    graph = build_module(spec, upstream, terms, source=source, note=note, today=today)
    out = spec.module_file(folder)
    out.write_text(format_graph(graph), encoding="utf-8")
    return out


def _table_literal(text: str) -> Literal | None:
    r"""A label cell of a SPARQL TSV table (ROBOT's ``query`` output): ``"text"``, ``"text"@en`` or
    bare text; None for an empty cell.

    >>> _table_literal('"disease"'), _table_literal('"disposition"@en')
    (rdflib.term.Literal('disease'), rdflib.term.Literal('disposition', lang='en'))
    >>> _table_literal('"a \\"b\\""'), _table_literal("")
    (rdflib.term.Literal('a "b"'), None)
    """
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r'"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?', text, re.DOTALL)
    if match is None:
        return Literal(text)
    value = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), match.group(1))
    return Literal(value, lang=match.group(2)) if match.group(2) else Literal(value)


def _read_table(path: Path) -> list[list[str]]:
    """The rows of a TSV file, its header row left out."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError) as error:
        raise ExtractError(f"{path}: cannot read: {error}") from None
    return [[cell.strip().strip("<>") for cell in row] for row in rows[1:]]


def tables_graph(labels: Path, edges: Path, ontology: URIRef, version: URIRef | None = None) -> Graph:
    """An upstream file made from two release reports of an ontology: ``labels`` (a TSV table whose
    first two columns are a class, as a CURIE or IRI, and its label: Mondo's
    ``reports/class-stats.tsv``) and ``edges`` (``x``, ``p``, ``y``: Mondo's ``reports/edges.tsv``),
    of which the ``rdfs:subClassOf`` rows between named classes are kept. Every class of the label
    table is declared, with its label; the header names ``ontology`` and its ``version``.

    :raises ExtractError: a table cannot be read, or has a row without two (three) columns.
    """
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    graph.add((ontology, RDF.type, OWL.Ontology))
    if version is not None:
        graph.add((ontology, OWL.versionIRI, version))
    for number, row in enumerate(_read_table(labels), start=2):
        if len(row) < 2:
            raise ExtractError(f"{labels}:{number}: expected a class and its label")
        term = curie_iri(row[0])
        if term is None:
            continue
        graph.add((term, RDF.type, OWL.Class))
        label = _table_literal(row[1])
        if label is not None:
            graph.add((term, RDFS.label, label))
    for number, row in enumerate(_read_table(edges), start=2):
        if len(row) < 3:
            raise ExtractError(f"{edges}:{number}: expected x, p and y")
        if row[1] not in ("rdfs:subClassOf", str(RDFS.subClassOf)):
            continue
        child, parent = curie_iri(row[0]), curie_iri(row[2])
        if child is not None and parent is not None:
            graph.add((child, RDFS.subClassOf, parent))
    return graph


def _strip_blank_ontologies(graph: Graph) -> Graph:
    """Drop any anonymous owl:Ontology header the OWL API wrote for the module."""
    for header in list(graph.subjects(RDF.type, OWL.Ontology)):
        if isinstance(header, BNode):
            graph.remove((header, None, None))
    return graph
