"""Every check of the ontology, in order, gathered into one report: what ``rlskg check`` runs.

1. parse the edit file and its imports (a failure here is bad input: an exception, not a problem);
2. OWL 2 DL profile, with the OWL API (undeclared entities, illegal punning, ...);
3. canonical formatting (``rlskg fmt --check``);
4. the QC queries (``qc/*-violation.rq``) and 5. the SHACL shapes;
6. HermiT: consistency, unsatisfiable classes, the expected classification;
7. the release products, made in memory with HermiT's classification (``release.py``): the
   ROBOT-report rules over ``rls.owl``, ``rls-base.owl`` and ``rls-simple.owl``
   (``robot_report.py``: ERROR rows are problems, WARN and INFO are counted in the figures), and
   ``rls.obo`` and ``rls.json`` read back by fastobo and pronto.

The data model (``rlskg-model.ttl``, which imports the disease ontology) is checked the same way,
its import closure included; its one product is ``rlskg-model.owl``, which step 7 reports on.
``rlskg check`` with no path checks both edit files (``check_modules``).

A missing Java or OWL API turns its step into a problem that says so, never a traceback.
"""

import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import fastobo
from pronto.ontology import Ontology
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from rlskg.ontology.fmt import is_canonical
from rlskg.ontology.namespaces import OBOINOWL, RLS
from rlskg.ontology.owlapi import OwlApiError, OwlApiUnavailable, ProfileReport, check_profile
from rlskg.ontology.problems import Problem
from rlskg.ontology.products import MODEL
from rlskg.ontology.qc import run_queries, validate_shapes
from rlskg.ontology.reason import ReasonerError, ReasonerResult, reason
from rlskg.ontology.release import Release, make_model_release, make_release
from rlskg.ontology.robot_report import Violation, counts
from rlskg.ontology.robot_report import problems as report_problems
from rlskg.ontology.robot_report import report as robot_report
from rlskg.ontology.source import EDIT_FILE, MODEL_FILE, is_model, load_ontology

Figure = int | float | str

SYNONYMS = (
    OBOINOWL.hasExactSynonym,
    OBOINOWL.hasRelatedSynonym,
    OBOINOWL.hasBroadSynonym,
    OBOINOWL.hasNarrowSynonym,
)
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)


@dataclass
class CheckReport:
    """The problems every check found, and the ontology's figures (counts, reasoner time).

    ``profile`` and ``reasoner`` keep the OWL API's and HermiT's full results (None if they could
    not run), for callers that want more than the problems; ``violations``, every row of the
    ROBOT-report rules over each product, WARN and INFO included.
    """

    path: Path
    problems: list[Problem] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    profile: ProfileReport | None = None
    reasoner: ReasonerResult | None = None
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_ontology(path: Path | None = None) -> CheckReport:
    """Run every ontology check on the edit file ``path`` (default ``ontology/rls.ttl``).

    :raises OntologySourceError: the edit file, an import or the expected classification is
        malformed (nothing else can be checked then).
    """
    path = path or EDIT_FILE
    graph = load_ontology(path)
    # the data model's figures are of its own terms (its import closure is the disease ontology)
    figures = ontology_figures(load_ontology(path, with_imports=False) if is_model(path) else graph)
    figures["triples (with imports)"] = len(graph)
    report = CheckReport(path, figures=figures)
    where = str(path)

    try:
        report.profile = profile = check_profile(path)
        report.problems += [
            Problem("owl2-dl-profile", v.subject or where, f"{v.kind}: {v.message}")
            for v in profile.violations
        ]
        report.figures["axioms (OWL API)"] = profile.stats.get("axioms", "n/a")
        report.figures["logical axioms (OWL API)"] = profile.stats.get("logical axioms", "n/a")
    except OwlApiUnavailable as error:
        report.problems.append(Problem("owl2-dl-profile", where, f"cannot run the OWL API: {error}"))
    except OwlApiError as error:
        report.problems.append(
            Problem("owl2-dl-profile", where, f"the OWL API cannot load the ontology: {error}")
        )

    if not is_canonical(path):
        report.problems.append(Problem("fmt", where, f"not in canonical form: run `rlskg fmt {path}`"))

    report.problems += run_queries(graph, where=where)
    report.problems += validate_shapes(graph)

    try:
        report.reasoner = result = reason(path, graph=graph)
        report.problems += result.problems
        report.figures["inferred subclass relations"] = len(result.inferred)
        report.figures["reasoner seconds"] = round(result.seconds, 2)
    except ReasonerError as error:
        report.problems.append(Problem("reasoner", where, f"cannot run HermiT: {error}"))

    if is_model(path):
        products = {MODEL: make_model_release(path)}
    else:
        entailed = report.reasoner.entailed if report.reasoner is not None else None
        release = make_release(path, entailed)
        products = release.graphs()
        report.problems += obo_problems(release)
    for name, product in products.items():
        file_name = f"{name}.owl"
        found = robot_report(product, file_name)
        report.violations += found
        report.problems += report_problems(found)
        report.figures[f"report {file_name}"] = counts(found, file_name)
    return report


def check_modules() -> CheckReport:
    """Check the disease ontology and the data model (``check_ontology`` on each) into one report:
    the problems of both, the disease ontology's figures and the model's (marked "model")."""
    report = check_ontology(EDIT_FILE)
    model = check_ontology(MODEL_FILE)
    report.problems += model.problems
    report.violations += model.violations
    for name, value in model.figures.items():
        if not name.startswith("report "):
            name = f"model: {name}"
        report.figures[name] = value
    return report


def obo_problems(release: Release) -> list[Problem]:
    """``rls.obo`` must parse with fastobo and load in pronto; ``rls.json`` must load in pronto."""
    problems = []
    for name, text in (("rls.obo", release.obo), ("rls.json", release.obographs)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # pronto warns of what it could not read
                if name.endswith(".obo"):
                    fastobo.loads(text)
                # OBO 1.4 and OBO Graphs JSON are UTF-8: say so, rather than let pronto guess from
                # the first bytes (the imported BFO definitions have curly quotes). pronto 2 only
                # takes an encoding with a path, not with a file object.
                with tempfile.TemporaryDirectory(prefix="rlskg-obo-") as folder:
                    path = Path(folder) / name
                    path.write_text(text, encoding="utf-8")
                    Ontology(path, encoding="utf-8")
        except Exception as error:  # fastobo's and pronto's errors have no common base
            problems.append(Problem("obo", name, f"{type(error).__name__}: {error}"))
    return problems


def ontology_figures(graph: Graph) -> dict[str, Figure]:
    """Counts of the ontology's own (rls:) terms and annotations, and of the terms it imports."""

    def own(node: object) -> bool:
        return isinstance(node, URIRef) and node.startswith(str(RLS))

    def typed(kind: URIRef) -> list[URIRef]:
        return [s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)]

    classes = [c for c in typed(OWL.Class) if own(c)]
    imported = {
        t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for t in typed(kind) if not own(t)
    }
    return {
        "classes": len(classes),
        "defined classes": sum(
            1 for c in classes if any(isinstance(e, BNode) for e in graph.objects(c, OWL.equivalentClass))
        ),
        "object properties": sum(1 for p in typed(OWL.ObjectProperty) if own(p)),
        "data properties": sum(1 for p in typed(OWL.DatatypeProperty) if own(p)),
        "annotation properties": sum(1 for p in typed(OWL.AnnotationProperty) if own(p)),
        "imported classes and properties": len(imported),
        "xrefs": sum(1 for s, _ in graph.subject_objects(OBOINOWL.hasDbXref) if own(s)),
        "mappings": sum(1 for m in MAPPINGS for s, _ in graph.subject_objects(m) if own(s)),
        "synonyms": sum(1 for m in SYNONYMS for s, _ in graph.subject_objects(m) if own(s)),
        "triples (with imports)": len(graph),
    }
