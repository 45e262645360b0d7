"""The OWL API (Protege's library): OWL 2 DL profile, and a Protege-style save that fmt undoes."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from rlskg.ontology.check import CheckReport
from rlskg.ontology.fmt import canonical_text
from rlskg.ontology.namespaces import RLS
from rlskg.ontology.owlapi import OwlApiError, OwlApiUnavailable, check_profile, owlapi_classpath, save_turtle
from tests.support.ontology_variants import load, own_terms, write_variant

pytestmark = pytest.mark.reasoner


def test_ontology_is_in_the_owl2_dl_profile(check_report: CheckReport) -> None:
    problems = [p for p in check_report.problems if p.check == "owl2-dl-profile"]
    assert not problems, "\n".join(map(str, problems))
    assert check_report.profile is not None and check_report.profile.stats["axioms"] > 0


def test_untyped_entity_and_illegal_punning_are_caught(edit_file: Path, tmp_path: Path) -> None:
    graph = load(edit_file)
    term = own_terms(graph)[0]
    undeclared = RLS["UndeclaredClass"]
    graph.add((term, RDFS.subClassOf, undeclared))
    punned = own_terms(graph, OWL.ObjectProperty)[0]
    graph.add((punned, RDF.type, OWL.DatatypeProperty))
    annotation = RLS["undeclaredAnnotation"]
    graph.add((term, annotation, Literal("an annotation whose property is not declared")))
    report = check_profile(write_variant(edit_file, tmp_path, graph))
    found = {(v.kind, v.subject) for v in report.violations}
    assert ("UseOfUndeclaredClass", str(undeclared)) in found
    assert ("IllegalPunning", str(punned)) in found
    assert ("UseOfUndeclaredAnnotationProperty", str(annotation)) in found
    assert not report.in_profile


def test_import_outside_the_catalog_is_never_fetched(tmp_path: Path) -> None:
    from tests.support.data import MINI

    copy = write_variant(MINI, tmp_path)
    (tmp_path / "catalog-v001.xml").write_text(
        '<?xml version="1.0"?>\n<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>\n'
    )
    with pytest.raises(OwlApiError, match=r"not mapped in catalog-v001\.xml"):
        check_profile(copy)


def test_protege_save_then_fmt_gives_back_the_edit_file(edit_file: Path, tmp_path: Path) -> None:
    """Save the edit file as Protege does (the OWL API's TurtleDocumentFormat), then ``rlskg fmt``
    the result: the same graph and the same bytes as ``rlskg fmt`` of the edit file.

    Byte equality holds because fmt owns every choice the OWL API makes differently: it writes
    only the prefixes it uses (the OWL API adds ``:``, ``xml:`` and ``@base``), orders blocks,
    predicates and objects itself, inlines every blank node, and sorts the members of set-like
    lists (the OWL API reorders ``owl:unionOf`` operands). If this test fails, the OWL API added or
    dropped triples: the edit file is not in the form Protege keeps (e.g. a datatype such as
    xsd:date used without its ``rdfs:Datatype`` declaration, which the OWL API adds), so every
    Protege save would show a spurious diff. The failure lists those triples.
    """
    saved = tmp_path / "saved.ttl"
    save_turtle(edit_file, saved)
    original, roundtrip = canonical_text(edit_file), canonical_text(saved)
    before = Graph().parse(data=original, format="turtle")
    after = Graph().parse(data=roundtrip, format="turtle")
    if not isomorphic(before, after):
        _both, lost, added = graph_diff(to_isomorphic(before), to_isomorphic(after))
        lines = [f"- {t}" for t in sorted(lost)] + [f"+ {t}" for t in sorted(added)]
        pytest.fail("the OWL API save changed the graph:\n" + "\n".join(lines))
    assert roundtrip == original


def test_missing_owlapi_jars_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RLSKG_JAVA_DIR", str(tmp_path))
    with pytest.raises(OwlApiUnavailable, match="libowlapi-java"):
        owlapi_classpath()
