"""The QC queries and SHACL shapes pass on the ontology and catch each kind of broken copy."""

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from rlskg.ontology.namespaces import IAO_DEFINITION, IAO_DEFINITION_SOURCE, OBO, OBOINOWL, RLS
from rlskg.ontology.problems import Problem
from rlskg.ontology.qc import (
    QC_DIR,
    SHAPES_FILE,
    load_queries,
    packaged_queries,
    run_queries,
    validate_shapes,
)
from rlskg.ontology.source import load_ontology, ontology_iri
from tests.support.ontology_variants import BROKEN, add_term, load, own_terms, write_variant


def test_every_query_file_parses_and_selects_entity_property_value() -> None:
    queries = load_queries()
    assert len(queries) == len(list(QC_DIR.glob("*-violation.rq"))) >= 15
    for qc in queries:
        assert qc.summary
        columns = [str(v) for v in qc.query.algebra["PV"]]
        assert columns[:3] == ["entity", "property", "value"] and columns[3:] in ([], ["others"]), qc.name


def test_shapes_select_terms_of_the_rls_namespace() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    declared = {str(ns) for ns in shapes.objects(None, SH.namespace)}
    assert str(RLS) in declared


def test_qc_queries_pass(edit_file: Path) -> None:
    problems = run_queries(load_ontology(edit_file))
    assert not problems, "\n".join(map(str, problems))


def test_shacl_shapes_pass(edit_file: Path) -> None:
    problems = validate_shapes(load_ontology(edit_file))
    assert not problems, "\n".join(map(str, problems))


# Each breakage edits the parsed edit file and returns the term it broke; the checks named must
# then report a problem about that term.
Breakage = Callable[[Graph], URIRef]


def _remove_label(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.remove((term, RDFS.label, None))
    return term


def _second_label(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.add((term, RDFS.label, Literal("another name", lang="en")))
    return term


def _duplicate_label(graph: Graph) -> URIRef:
    first, second = own_terms(graph)[:2]
    graph.set((second, RDFS.label, _value(graph, first, RDFS.label)))
    return second


def _remove_definition(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.remove((term, IAO_DEFINITION, None))
    return term


def _second_definition(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.add((term, IAO_DEFINITION, Literal("A second definition of the same term.", lang="en")))
    return term


def _duplicate_definition(graph: Graph) -> URIRef:
    first, second = own_terms(graph)[:2]
    graph.set((second, IAO_DEFINITION, _value(graph, first, IAO_DEFINITION)))
    return second


def _sourced_term(graph: Graph) -> URIRef:
    """The first own term that cites a definition source (not one of the subsets that need none)."""
    return next(t for t in own_terms(graph) if (t, IAO_DEFINITION_SOURCE, None) in graph)


def _definition_without_source(graph: Graph) -> URIRef:
    term = _sourced_term(graph)
    graph.remove((term, IAO_DEFINITION_SOURCE, None))
    return term


def _ontology_as_definition_source(graph: Graph) -> URIRef:
    # review F1: 100 terms cited the ontology itself
    term = _sourced_term(graph)
    iri = ontology_iri(graph)
    assert iri is not None
    graph.add((term, IAO_DEFINITION_SOURCE, iri))
    return term


def _own_term_as_definition_source(graph: Graph) -> URIRef:
    first, second = own_terms(graph)[:2]
    graph.add((second, IAO_DEFINITION_SOURCE, first))
    return second


def _duplicate_exact_match(graph: Graph) -> URIRef:
    mapped = [t for t in own_terms(graph) if (t, SKOS.exactMatch, None) in graph]
    unmapped = [t for t in own_terms(graph) if t not in mapped]
    graph.add((unmapped[0], SKOS.exactMatch, _value(graph, mapped[0], SKOS.exactMatch)))
    return unmapped[0]


def _duplicate_exact_synonym(graph: Graph) -> URIRef:
    # review F3: "medication" was an exact synonym of both drug and drug therapy
    first = next(t for t in own_terms(graph) if (t, OBOINOWL.hasExactSynonym, None) in graph)
    other = next(t for t in own_terms(graph) if t != first)
    acronyms = {
        graph.value(axiom, OWL.annotatedTarget)
        for axiom in graph.subjects(OBOINOWL.hasSynonymType, OBO.OMO_0003012)
    }
    synonym = next(s for s in graph.objects(first, OBOINOWL.hasExactSynonym) if s not in acronyms)
    graph.add((other, OBOINOWL.hasExactSynonym, synonym))
    return other


def _untyped_acronym(graph: Graph) -> URIRef:
    # review F3: 'RLS' and 'WED' carried no synonym type
    term = own_terms(graph)[0]
    graph.add((term, OBOINOWL.hasBroadSynonym, Literal("ZQX", lang="en")))
    return term


def _abbreviation_in_label(graph: Graph) -> URIRef:
    # review F4: "RLS chromosomal locus"
    term = own_terms(graph)[0]
    graph.set((term, RDFS.label, Literal("broken RLS label", lang="en")))
    return term


def _definition_without_genus(graph: Graph) -> URIRef:
    # review F2: "Blood pressure in the arteries that stays higher than normal" (hypertension)
    term = next(
        t for t in own_terms(graph) if any(isinstance(p, URIRef) for p in graph.objects(t, RDFS.subClassOf))
    )
    graph.set((term, IAO_DEFINITION, Literal("Something that stays higher than normal.", lang="en")))
    return term


def _trailing_whitespace(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    definition = graph.value(term, IAO_DEFINITION)
    graph.set((term, IAO_DEFINITION, Literal(f"{definition} ", lang="en")))
    return term


def _double_space_in_synonym(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.add((term, OBOINOWL.hasExactSynonym, Literal("restless  legs", lang="en")))
    return term


def _tab_in_label(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.set((term, RDFS.label, Literal("broken\tlabel", lang="en")))
    return term


def _bad_xref(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.add((term, OBOINOWL.hasDbXref, Literal("MONDO 123")))
    return term


def _url_as_xref(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.add((term, OBOINOWL.hasDbXref, Literal("https://monarchinitiative.org/MONDO:0005391")))
    return term


def _german_label(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.set((term, RDFS.label, Literal(str(graph.value(term, RDFS.label)), lang="de")))
    return term


def _untagged_label(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.set((term, RDFS.label, Literal(str(graph.value(term, RDFS.label)))))
    return term


def _header_without(predicate: URIRef) -> Breakage:
    def breakage(graph: Graph) -> URIRef:
        iri = ontology_iri(graph)
        assert iri is not None
        graph.remove((iri, predicate, None))
        return iri

    return breakage


def _no_ontology_declaration(graph: Graph) -> URIRef:
    iri = ontology_iri(graph)
    assert iri is not None
    graph.remove((iri, None, None))
    return URIRef("")


def _object_property_without_domain(graph: Graph) -> URIRef:
    term = own_terms(graph, OWL.ObjectProperty)[0]
    graph.remove((term, RDFS.domain, None))
    return term


def _relation(graph: Graph, name: str, *parents: URIRef) -> URIRef:
    relation = RLS[name]
    graph.add((relation, RDF.type, OWL.ObjectProperty))
    for parent in parents:
        graph.add((relation, RDFS.subPropertyOf, parent))
    return relation


def _causal_and_statistical(graph: Graph) -> URIRef:
    # review D1/D4: a correlation under the causal trunk
    return _relation(graph, "brokenRiskFactorFor", OBO.RO_0002410, OBO.RO_0002610)


def _relief_under_ameliorates(graph: Graph) -> URIRef:
    # review D1: RO puts RO:0003307 'ameliorates condition' under RO:0003302 'causes or contributes to'
    return _relation(graph, "brokenRelieves", OBO.RO_0003307)


def _relief_under_correlation(graph: Graph) -> URIRef:
    # review D1: a relief whose inverse is 'condition ameliorated by', put under a statistical relation
    relieves = _relation(graph, "brokenRelieves", OBO.RO_0002610)
    relieved_by = _relation(graph, "brokenRelievedBy", OBO.RO_0003310)
    graph.add((relieves, OWL.inverseOf, relieved_by))
    return relieves


def _disease_relation_on_a_non_disease(graph: Graph) -> URIRef:
    # review D3: 'disease has location' on a symptom, a finding or a mechanism
    add_term(graph, BROKEN, "broken term")
    restriction = BNode()
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, OBO.RO_0004026))
    graph.add((restriction, OWL.someValuesFrom, BROKEN))
    graph.add((BROKEN, RDFS.subClassOf, restriction))
    return BROKEN


def _disease_relation_with_a_non_disease_domain(graph: Graph) -> URIRef:
    add_term(graph, BROKEN, "broken term")
    relation = _relation(graph, "brokenLocation", OBO.RO_0004026)
    graph.add((relation, RDFS.domain, BROKEN))
    return relation


def _mapping_to_a_literal(graph: Graph) -> URIRef:
    term = own_terms(graph)[0]
    graph.add((term, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"), Literal("MONDO:0005391")))
    return term


BREAKAGES: dict[str, tuple[Breakage, set[str]]] = {
    "missing label": (_remove_label, {"missing-label", "shacl"}),
    "two labels": (_second_label, {"multiple-labels", "shacl"}),
    "duplicate label": (_duplicate_label, {"duplicate-label"}),
    "missing definition": (_remove_definition, {"missing-definition", "shacl"}),
    "two definitions": (_second_definition, {"multiple-definitions", "shacl"}),
    "duplicate definition": (_duplicate_definition, {"duplicate-definition"}),
    "definition without source": (_definition_without_source, {"missing-definition-source", "shacl"}),
    "ontology as definition source": (_ontology_as_definition_source, {"self-definition-source"}),
    "own term as definition source": (_own_term_as_definition_source, {"self-definition-source"}),
    "duplicate exact match": (_duplicate_exact_match, {"duplicate-exact-match"}),
    "duplicate exact synonym": (_duplicate_exact_synonym, {"duplicate-exact-synonym"}),
    "untyped acronym": (_untyped_acronym, {"untyped-acronym"}),
    "abbreviation in label": (_abbreviation_in_label, {"label-abbreviation"}),
    "definition without genus": (_definition_without_genus, {"definition-genus"}),
    "trailing whitespace": (_trailing_whitespace, {"annotation-whitespace"}),
    "double space": (_double_space_in_synonym, {"annotation-whitespace"}),
    "tab in label": (_tab_in_label, {"label-formatting"}),
    "xref with a space": (_bad_xref, {"invalid-xref", "shacl"}),
    "URL as xref": (_url_as_xref, {"invalid-xref", "shacl"}),
    "German label": (_german_label, {"label-language", "shacl"}),
    "untagged label": (_untagged_label, {"label-language", "shacl"}),
    "no title": (_header_without(DCTERMS.title), {"missing-ontology-title", "shacl"}),
    "no description": (_header_without(DCTERMS.description), {"missing-ontology-description", "shacl"}),
    "no license": (_header_without(DCTERMS.license), {"missing-ontology-license", "shacl"}),
    "no versionIRI": (_header_without(OWL.versionIRI), {"shacl"}),
    "no ontology": (_no_ontology_declaration, {"missing-ontology-declaration"}),
    "object property without domain": (_object_property_without_domain, {"shacl"}),
    "mapping to a literal": (_mapping_to_a_literal, {"shacl"}),
    "causal and statistical relation": (_causal_and_statistical, {"causal-and-statistical"}),
    "relief under ameliorates condition": (_relief_under_ameliorates, {"relief-as-cause"}),
    "relief under a correlation": (_relief_under_correlation, {"relief-as-cause"}),
    "disease relation on a non-disease": (
        _disease_relation_on_a_non_disease,
        {"disease-relation-on-non-disease"},
    ),
    "disease relation with a non-disease domain": (
        _disease_relation_with_a_non_disease_domain,
        {"disease-relation-on-non-disease"},
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_broken_copy_is_caught(edit_file: Path, tmp_path: Path, breakage: str) -> None:
    break_it, expected_checks = BREAKAGES[breakage]
    graph = load(edit_file)
    term = break_it(graph)
    copy = write_variant(edit_file, tmp_path, graph)
    subject = str(term) or str(copy)
    problems = _run(load_ontology(copy), expected_checks, where=str(copy))
    found = {p.check for p in problems if p.subject == subject}
    assert expected_checks <= found, _explain(problems, subject)


@pytest.mark.parametrize("subset", ["data_model", "upper_level"])
def test_a_subset_term_needs_no_definition_source(edit_file: Path, tmp_path: Path, subset: str) -> None:
    """Review F1: the data-model and upper-level terms are stipulated, so they cite no source; any
    other term without one is still reported."""
    graph = load(edit_file)
    exempt, other = [t for t in own_terms(graph) if (t, IAO_DEFINITION_SOURCE, None) in graph][:2]
    for term in (exempt, other):
        graph.remove((term, IAO_DEFINITION_SOURCE, None))
    graph.add((exempt, OBOINOWL.inSubset, RLS[subset]))
    copy = write_variant(edit_file, tmp_path, graph)
    problems = _run(load_ontology(copy), {"missing-definition-source", "shacl"}, where=str(copy))
    assert {p.subject for p in problems if p.check in ("missing-definition-source", "shacl")} == {str(other)}


def test_imported_term_without_label_is_caught(edit_file: Path, tmp_path: Path) -> None:
    copy = write_variant(edit_file, tmp_path)
    imported = tmp_path / "imports" / "ro_import.ttl"
    module = Graph().parse(imported)
    others = Graph()  # a label another module gives too would still be found
    for path in (tmp_path / "imports").glob("*_import.ttl"):
        if path != imported:
            others.parse(path)
    relation = sorted(
        p
        for p in module.subjects(RDF.type, OWL.ObjectProperty)
        if isinstance(p, URIRef) and (p, RDFS.label, None) not in others
    )[0]
    module.remove((relation, RDFS.label, None))
    imported.write_text(module.serialize(format="turtle"), encoding="utf-8")
    problems = _run(load_ontology(copy), {"missing-label"}, where=str(copy))
    assert Problem("missing-label", str(relation), "has no rdfs:label (rdfs:label)") in problems


def _run(graph: Graph, checks: set[str], where: str) -> list[Problem]:
    """Only the checks a breakage is expected to trip: running all of them each time is slow."""
    queries = [qc for qc in packaged_queries() if qc.name in checks]
    return run_queries(graph, queries, where=where) + (validate_shapes(graph) if "shacl" in checks else [])


def _value(graph: Graph, term: URIRef, predicate: URIRef) -> Node:
    value = graph.value(term, predicate)
    assert value is not None, f"{term} has no {predicate}"
    return value


def _explain(problems: list[Problem], subject: str) -> str:
    return f"problems about {subject}:\n" + "\n".join(str(p) for p in problems)
