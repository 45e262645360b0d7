"""HermiT through owlready2: consistency, unsatisfiable classes and the expected classification."""

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rlskg.ontology.check import CheckReport
from rlskg.ontology.namespaces import RLS
from rlskg.ontology.problems import Problem
from rlskg.ontology.reason import ReasonerResult, load_expected, reason
from rlskg.ontology.source import EDIT_FILE, OntologySourceError
from tests.support.ontology_variants import (
    add_term,
    add_unsatisfiable_class,
    declassify,
    first_expected_pair,
    load,
    write_variant,
)

pytestmark = pytest.mark.reasoner


@pytest.fixture(scope="session")
def reasoned(check_report: CheckReport) -> ReasonerResult:
    assert check_report.reasoner is not None, "HermiT did not run"
    return check_report.reasoner


def test_ontology_is_consistent_with_no_unsatisfiable_class(reasoned: ReasonerResult) -> None:
    assert reasoned.consistent
    assert reasoned.unsatisfiable == ()
    assert reasoned.seconds > 0


def test_expected_classification_is_inferred(edit_file: Path, reasoned: ReasonerResult) -> None:
    assert reasoned.expected, "the expected classification lists at least one pair"
    assert not reasoned.problems, "\n".join(map(str, reasoned.problems))
    for row in reasoned.expected:
        assert (row.subclass, row.superclass) in reasoned.entailed


def test_rls_in_pregnancy_is_secondary_rls(reasoned: ReasonerResult) -> None:
    # the defined class the ontology is built to classify, not asserted but inferred
    pair = (str(RLS.RLSInPregnancy), str(RLS.SecondaryRLS))
    assert pair in reasoned.inferred


def test_only_due_to_forms_are_secondary(edit_file: Path, reasoned: ReasonerResult) -> None:
    # review item D2: the "-associated" forms are linked by a statistical relation, not "secondary to"
    if edit_file != EDIT_FILE:
        pytest.skip("the associated forms are rls.ttl classes")
    for associated in (RLS.RLSInDiabetes, RLS.RLSInPeripheralNeuropathy):
        assert (str(associated), str(RLS.RestlessLegsSyndrome)) in reasoned.entailed
        assert (str(associated), str(RLS.SecondaryRLS)) not in reasoned.entailed


def test_worsened_primary_rls_is_satisfiable_and_secondary_to_anything_is_secondary(tmp_path: Path) -> None:
    """Review items D2 and D7 on rls.ttl: primary RLS that pregnancy worsens is a consistent class
    and not secondary (worsening is not "secondary to"); RLS secondary to a lifestyle factor or a
    mechanism (stress, a hormonal change) is satisfiable and classified as secondary RLS."""
    graph = load(EDIT_FILE)
    worsened, stress, hormonal = RLS.TestWorsenedPrimary, RLS.TestDueToStress, RLS.TestDueToHormonalChange
    for term, base, prop, filler in (
        (worsened, RLS.PrimaryRLS, RLS.worsenedBy, RLS.Pregnancy),
        (stress, RLS.RestlessLegsSyndrome, RLS.secondaryTo, RLS.PsychologicalStress),
        (hormonal, RLS.RestlessLegsSyndrome, RLS.secondaryTo, RLS.HormonalChange),
    ):
        add_term(graph, term, f"test {term.rsplit('/', 1)[-1]}")
        graph.add((term, RDFS.subClassOf, base))
        graph.add((term, RDFS.subClassOf, _some(graph, prop, filler)))
    result = reason(write_variant(EDIT_FILE, tmp_path, graph))
    assert result.consistent and result.unsatisfiable == ()
    assert (str(worsened), str(RLS.PrimaryRLS)) in result.entailed
    assert (str(worsened), str(RLS.SecondaryRLS)) not in result.entailed
    assert (str(stress), str(RLS.SecondaryRLS)) in result.entailed
    assert (str(hormonal), str(RLS.SecondaryRLS)) in result.entailed


def _some(graph: Graph, prop: URIRef, filler: URIRef) -> BNode:
    restriction = BNode()
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, prop))
    graph.add((restriction, OWL.someValuesFrom, filler))
    return restriction


def test_unsatisfiable_class_and_lost_classification_are_caught(edit_file: Path, tmp_path: Path) -> None:
    graph = load(edit_file)
    broken = add_unsatisfiable_class(graph)
    subclass, superclass = first_expected_pair(edit_file)
    declassify(graph, subclass)
    result = reason(write_variant(edit_file, tmp_path, graph))
    assert result.consistent
    assert result.unsatisfiable == (str(broken),)
    assert (
        Problem("reasoner", str(broken), "unsatisfiable class (equivalent to owl:Nothing)") in result.problems
    )
    lost = [p for p in result.problems if p.check == "expected-classification" and p.subject == str(subclass)]
    assert lost and str(superclass) in lost[0].message


def test_inconsistency_is_caught(edit_file: Path, tmp_path: Path) -> None:
    graph = load(edit_file)
    broken = add_unsatisfiable_class(graph)
    individual = URIRef(str(RLS) + "brokenIndividual")
    graph.add((individual, RDF.type, OWL.NamedIndividual))
    graph.add((individual, RDF.type, broken))
    copy = write_variant(edit_file, tmp_path, graph)
    result = reason(copy)
    assert not result.consistent
    assert result.problems == (Problem("reasoner", str(copy), "the ontology is inconsistent (HermiT)"),)


def test_expected_classification_file_reads_curies_and_rejects_bad_rows(tmp_path: Path) -> None:
    tsv = tmp_path / "expected-classification.tsv"
    tsv.write_text("# comment\nsubclass\tsuperclass\tcomment\nrls:A\t<https://example.org/B>\twhy\n")
    (row,) = load_expected(tsv)
    assert (row.subclass, row.superclass, row.line) == (str(RLS.A), "https://example.org/B", 3)
    tsv.write_text("rls:A\n")
    with pytest.raises(OntologySourceError, match="subclass<TAB>superclass"):
        load_expected(tsv)
    tsv.write_text("nope:A\trls:B\t\n")
    with pytest.raises(OntologySourceError, match="known prefix") as caught:
        load_expected(tsv)
    assert caught.value.line == 1
