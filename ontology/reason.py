"""Classify the ontology with HermiT (through owlready2) and compare with the expected classification.

owlready2 reads RDF/XML, OWL/XML and N-Triples, not Turtle: the import closure is written as
N-Triples into a temporary folder first. Each call uses a fresh ``owlready2.World``, so that no
state leaks from one ontology (or one test's broken copy) into the next.
"""

import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rlskg.ontology.namespaces import PREFIXES
from rlskg.ontology.problems import Problem
from rlskg.ontology.source import EDIT_FILE, OntologySourceError, load_ontology

T = TypeVar("T")

EXPECTED_NAME = "expected-classification.tsv"
EXPECTED_HEADER = ("subclass", "superclass", "comment")


class ReasonerError(RuntimeError):
    """HermiT did not give an answer (owlready2 could not load the ontology, or Java failed)."""


class ReasonerUnavailable(ReasonerError):
    """HermiT cannot run: owlready2 starts it as a Java process and there is no ``java``."""


@dataclass(frozen=True)
class ExpectedSubclass:
    """One row of ``expected-classification.tsv``: ``subclass`` must be inferred under ``superclass``."""

    subclass: str
    superclass: str
    comment: str
    line: int


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT concluded, and the problems found in it."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    # every (subclass, superclass) pair among named classes that holds, owl:Thing left out
    entailed: frozenset[tuple[str, str]]
    # the entailed pairs that do not follow from the asserted named subclass axioms alone
    inferred: tuple[tuple[str, str], ...]
    expected: tuple[ExpectedSubclass, ...]
    problems: tuple[Problem, ...]
    seconds: float


def expected_path(path: Path) -> Path:
    """The expected classification that belongs to the edit file ``path`` (in the same folder)."""
    return path.parent / EXPECTED_NAME


def load_expected(path: Path) -> list[ExpectedSubclass]:
    """Read an expected-classification TSV; a missing file expects nothing.

    :raises OntologySourceError: a row has fewer than two columns or names a term with an unknown prefix.
    """
    if not path.is_file():
        return []
    rows: list[ExpectedSubclass] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if tuple(f.strip().lower() for f in fields[:2]) == EXPECTED_HEADER[:2]:
            continue
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            raise OntologySourceError(path, number, "expected 'subclass<TAB>superclass<TAB>comment'")
        subclass, superclass = (_expand(path, number, field.strip()) for field in fields[:2])
        comment = fields[2].strip() if len(fields) > 2 else ""
        rows.append(ExpectedSubclass(subclass, superclass, comment, number))
    return rows


def reason(
    path: Path | None = None, expected: Path | None = None, graph: Graph | None = None
) -> ReasonerResult:
    """Run HermiT over the edit file and its imports; check the expected classification.

    ``graph`` is the edit file already loaded with its imports (``load_ontology(path)``), if at hand.

    :raises OntologySourceError: the ontology or the expected-classification file is malformed.
    :raises ReasonerUnavailable: there is no Java to run HermiT with.
    :raises ReasonerError: owlready2 cannot read the ontology, or HermiT fails.
    """
    path = path or EDIT_FILE
    expected = expected or expected_path(path)
    graph = graph if graph is not None else load_ontology(path)
    rows = load_expected(expected)
    if shutil.which(owlready2.JAVA_EXE) is None:
        raise ReasonerUnavailable(f"{owlready2.JAVA_EXE} not found: HermiT needs Java (make system-deps)")
    with tempfile.TemporaryDirectory(prefix="rlskg-reason-") as folder:
        triples = Path(folder) / "ontology.nt"
        graph.serialize(triples, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(triples.as_uri()).load(format="ntriples")
            started = time.perf_counter()
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
                consistent = True
            except owlready2.OwlReadyInconsistentOntologyError:
                consistent = False
            seconds = time.perf_counter() - started
        except owlready2.OwlReadyError as error:
            world.close()
            raise ReasonerError(f"HermiT (owlready2) failed: {error}") from None
        unsatisfiable: tuple[str, ...] = ()
        entailed: frozenset[tuple[str, str]] = frozenset()
        if consistent:
            # owlready2 lists owl:Nothing among the classes equivalent to owl:Nothing.
            nothing = owlready2.Nothing
            unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes() if c is not nothing))
            entailed = _entailed(world)
        world.close()
    inferred = tuple(sorted(entailed - _asserted(graph)))
    problems = _problems(path, expected, graph, consistent, unsatisfiable, entailed, rows)
    return ReasonerResult(consistent, unsatisfiable, entailed, inferred, tuple(rows), problems, seconds)


def _entailed(world: owlready2.World) -> frozenset[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for cls in world.classes():
        for ancestor in cls.ancestors(include_self=False):
            if ancestor is not owlready2.Thing:
                pairs.add((cls.iri, ancestor.iri))
    return frozenset(pairs)


def _asserted(graph: Graph) -> frozenset[tuple[str, str]]:
    """The transitive closure of the named-class subClassOf / equivalentClass axioms as written."""
    parents: dict[str, set[str]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sup != OWL.Thing:
            parents.setdefault(str(sub), set()).add(str(sup))
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents.setdefault(str(a), set()).add(str(b))
            parents.setdefault(str(b), set()).add(str(a))
    return frozenset((a, b) for a, b in ancestor_pairs(parents) if a != b)


def ancestor_pairs(parents: Mapping[T, Iterable[T]]) -> set[tuple[T, T]]:
    """Every (node, ancestor) pair reachable through ``parents`` (node -> its direct parents).

    >>> sorted(ancestor_pairs({"a": ["b"], "b": ["c"]}))
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    closure: set[tuple[T, T]] = set()
    for start in parents:
        stack, seen = list(parents[start]), set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(parents.get(node, ()))
        closure.update((start, ancestor) for ancestor in seen)
    return closure


def _problems(
    path: Path,
    expected: Path,
    graph: Graph,
    consistent: bool,
    unsatisfiable: tuple[str, ...],
    entailed: frozenset[tuple[str, str]],
    rows: list[ExpectedSubclass],
) -> tuple[Problem, ...]:
    if not consistent:
        return (Problem("reasoner", str(path), "the ontology is inconsistent (HermiT)"),)
    problems = [
        Problem("reasoner", iri, "unsatisfiable class (equivalent to owl:Nothing)") for iri in unsatisfiable
    ]
    classes = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    for row in rows:
        where = f"({expected}:{row.line})"
        for term in (row.subclass, row.superclass):
            if term not in classes:
                problems.append(
                    Problem("expected-classification", term, f"is not a class of the ontology {where}")
                )
        if {row.subclass, row.superclass} <= classes and (row.subclass, row.superclass) not in entailed:
            message = f"is not inferred to be a subclass of {row.superclass} {where}"
            problems.append(Problem("expected-classification", row.subclass, message))
    return tuple(problems)


def _expand(path: Path, line: int, term: str) -> str:
    """A CURIE with a project prefix, an <IRI> or a bare IRI, as a full IRI."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith(("http://", "https://")):
        return term
    prefix, _, local = term.partition(":")
    if prefix not in PREFIXES or not local:
        raise OntologySourceError(path, line, f"{term!r} is neither an IRI nor a CURIE with a known prefix")
    return PREFIXES[prefix] + local
