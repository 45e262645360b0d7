"""The ROBOT-report rules (ontology/report/, ontology/robot_report.py): the profile gives every rule
ROBOT's default level; each rule is silent on a clean ontology and reports the entity a broken copy
of it breaks; ERROR rows fail ``rlskg check``, WARN and INFO are counted."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from rlskg.cli import main
from rlskg.ontology.check import CheckReport, obo_problems
from rlskg.ontology.release import Release
from rlskg.ontology.robot_report import (
    LEVELS,
    REPORT_DIR,
    counts,
    load_rules,
    packaged_rules,
    problems,
    report,
)
from tests.support.data import MINI

PREFIXES = """
@prefix dc: <http://purl.org/dc/elements/1.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rls: <https://w3id.org/rlskg/ontology/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# A clean ontology: every rule is silent on it (checked below).
CLEAN = (
    PREFIXES
    + """
<https://example.org/ontology> a owl:Ontology .
<https://example.org/ontology> dcterms:title "Example" .
<https://example.org/ontology> dcterms:description "A clean example." .
<https://example.org/ontology> dcterms:license <https://creativecommons.org/licenses/by/4.0/> .
obo:IAO_0000115 a owl:AnnotationProperty ; rdfs:label "definition" ; obo:IAO_0000115 "A definition." .
oboInOwl:hasExactSynonym a owl:AnnotationProperty ; rdfs:label "has exact synonym" ;
    obo:IAO_0000115 "An exact synonym." .
rls:partOf a owl:ObjectProperty ; rdfs:label "part of" ; obo:IAO_0000115 "Parthood." .
rls:Thing a owl:Class ; rdfs:label "thing" ; obo:IAO_0000115 "Anything." ; rdfs:subClassOf owl:Thing .
rls:Leg a owl:Class ; rdfs:label "leg" ; obo:IAO_0000115 "A limb." ; rdfs:subClassOf rls:Thing ;
    oboInOwl:hasExactSynonym "lower limb" .
rls:Foot a owl:Class ; rdfs:label "foot" ; obo:IAO_0000115 "The end of a leg." ; rdfs:subClassOf rls:Thing ,
    [ a owl:Restriction ; owl:onProperty rls:partOf ; owl:someValuesFrom rls:Leg ] .
rls:LegPart a owl:Class ; rdfs:label "leg part" ; obo:IAO_0000115 "A part of a leg." ;
    rdfs:subClassOf rls:Thing ;
    owl:equivalentClass [ owl:intersectionOf ( rls:Thing
        [ a owl:Restriction ; owl:onProperty rls:partOf ; owl:someValuesFrom rls:Leg ] ) ] .
"""
)

# rule -> (what is added to the clean ontology, the entity it must report)
BROKEN: dict[str, tuple[str, str]] = {
    "annotation_whitespace": ('rls:Leg rdfs:comment "trailing " .', "rls:Leg"),
    "deprecated_boolean_datatype": ('rls:Leg owl:deprecated "yes" .', "rls:Leg"),
    "deprecated_class_reference": (
        'rls:Leg owl:deprecated true ; rdfs:label "obsolete leg" .',
        "rls:Foot",  # its restriction's filler is the deprecated class
    ),
    "deprecated_property_reference": ("rls:partOf owl:deprecated true .", "rls:Foot"),
    "duplicate_definition": ('rls:Foot obo:IAO_0000115 "A limb." .', "rls:Foot"),
    "duplicate_exact_synonym": ('rls:Foot oboInOwl:hasExactSynonym "LOWER LIMB" .', "rls:Foot"),
    "duplicate_label_synonym": ('rls:Foot oboInOwl:hasExactSynonym "leg" .', "rls:Leg"),
    "duplicate_label": ('rls:Hand a owl:Class ; rdfs:label "foot" ; obo:IAO_0000115 "A hand." .', "rls:Hand"),
    "duplicate_scoped_synonym": ('rls:Leg oboInOwl:hasBroadSynonym "lower limb" .', "rls:Leg"),
    "equivalent_pair": ("rls:Foot owl:equivalentClass rls:Leg .", "rls:Foot"),
    "equivalent_class_axiom_no_genus": (
        "rls:Foot owl:equivalentClass"
        " [ a owl:Restriction ; owl:onProperty rls:partOf ; owl:someValuesFrom rls:Leg ] .",
        "rls:Foot",
    ),
    "illegal_use_of_built_in_vocabulary": ('rdf:type rdfs:label "type" .', "rdf:type"),
    "invalid_entity_uri": (
        '<http://purl.org/obo/FOO_1> a owl:Class ; rdfs:label "foo" .',
        "<http://purl.org/obo/FOO_1>",
    ),
    "invalid_xref": ('rls:Leg oboInOwl:hasDbXref "not a curie" .', "rls:Leg"),
    "label_formatting": (
        'rls:Hand a owl:Class ; rdfs:label "two\\nlines" ; obo:IAO_0000115 "A hand." .',
        "rls:Hand",
    ),
    "label_whitespace": (
        'rls:Hand a owl:Class ; rdfs:label " hand" ; obo:IAO_0000115 "A hand." .',
        "rls:Hand",
    ),
    "lowercase_definition": (
        'rls:Hand a owl:Class ; rdfs:label "hand" ; obo:IAO_0000115 "a hand." .',
        "rls:Hand",
    ),
    "missing_definition": ('rls:Hand a owl:Class ; rdfs:label "hand" .', "rls:Hand"),
    "missing_label": ('rls:Hand a owl:Class ; obo:IAO_0000115 "A hand." .', "rls:Hand"),
    "missing_obsolete_label": ("rls:LegPart owl:deprecated true .", "rls:LegPart"),
    "missing_ontology_description": ("", "<https://example.org/ontology>"),
    "missing_ontology_license": ("", "<https://example.org/ontology>"),
    "missing_ontology_title": ("", "<https://example.org/ontology>"),
    "missing_subset_declaration": ("rls:Leg oboInOwl:inSubset rls:slim .", "rls:slim"),
    "missing_superclass": (
        'rls:Hand a owl:Class ; rdfs:label "hand" ; obo:IAO_0000115 "A hand." .',
        "rls:Hand",
    ),
    "missing_synonymtype_declaration": (
        "[] a owl:Axiom ; owl:annotatedSource rls:Leg ; owl:annotatedProperty oboInOwl:hasExactSynonym ;"
        ' owl:annotatedTarget "lower limb" ; oboInOwl:hasSynonymType rls:LAYPERSON .',
        "rls:LAYPERSON",
    ),
    "misused_obsolete_label": (
        'rls:Hand a owl:Class ; rdfs:label "obsolete hand" ; obo:IAO_0000115 "A hand." .',
        "rls:Hand",
    ),
    "misused_replaced_by": ("rls:Leg obo:IAO_0100001 rls:Foot .", "rls:Leg"),
    "multiple_definitions": ('rls:Leg obo:IAO_0000115 "Another definition." .', "rls:Leg"),
    "multiple_equivalent_classes": ("rls:Foot owl:equivalentClass rls:Leg, rls:Thing .", "rls:Foot"),
    "multiple_equivalent_class_definitions": (
        "rls:LegPart owl:equivalentClass [ owl:intersectionOf ( rls:Thing rls:Leg ) ] .",
        "rls:LegPart",
    ),
    "multiple_labels": ('rls:Leg rdfs:label "limb" .', "rls:Leg"),
}
# Header rules break by removing, not adding.
REMOVED = {
    "missing_ontology_description": 'dcterms:description "A clean example." .',
    "missing_ontology_license": "dcterms:license <https://creativecommons.org/licenses/by/4.0/> .",
    "missing_ontology_title": 'dcterms:title "Example" .',
}
RULES = {rule.name: rule for rule in packaged_rules()}
# ROBOT's default profile (robot-core/src/main/resources/report_profile.txt), as read there.
ROBOT_ERRORS = {
    "deprecated_boolean_datatype",
    "deprecated_class_reference",
    "deprecated_property_reference",
    "duplicate_definition",
    "duplicate_label",
    "illegal_use_of_built_in_vocabulary",
    "label_formatting",
    "label_whitespace",
    "missing_label",
    "missing_ontology_description",
    "missing_ontology_license",
    "missing_ontology_title",
    "misused_obsolete_label",
    "misused_replaced_by",
    "multiple_definitions",
    "multiple_equivalent_class_definitions",
    "multiple_labels",
}
ROBOT_INFOS = {"lowercase_definition", "missing_superclass"}


def broken(rule: str) -> Graph:
    addition, _entity = BROKEN[rule]
    text = CLEAN
    if rule in REMOVED:
        line = f"<https://example.org/ontology> {REMOVED[rule]}\n"
        assert line in text
        text = text.replace(line, "")
    return Graph().parse(data=text + addition, format="turtle")


def test_profile_gives_every_rule_robots_default_level() -> None:
    assert sorted(RULES) == sorted(p.stem for p in REPORT_DIR.glob("*.rq"))
    assert len(RULES) == 32
    for name, rule in RULES.items():
        expected = "ERROR" if name in ROBOT_ERRORS else "INFO" if name in ROBOT_INFOS else "WARN"
        assert rule.level == expected, name


def test_every_rule_has_a_broken_case() -> None:
    assert sorted(BROKEN) == sorted(RULES)


def test_clean_ontology_breaks_no_rule() -> None:
    assert report(Graph().parse(data=CLEAN, format="turtle"), "clean.owl") == []


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_rule_reports_what_a_broken_copy_breaks(rule: str) -> None:
    graph = broken(rule)
    rows = report(graph, "broken.owl", [RULES[rule]])
    entity = BROKEN[rule][1]
    assert entity in {row.entity for row in rows}, rows
    assert {row.level for row in rows} == {RULES[rule].level}
    # and the other rules do not take its place: the break is this rule's
    assert rule in {row.rule for row in report(graph, "broken.owl")}


def test_error_rows_are_problems_warn_and_info_are_counted() -> None:
    graph = Graph().parse(
        data=CLEAN + BROKEN["multiple_labels"][0] + BROKEN["missing_superclass"][0], format="turtle"
    )
    rows = report(graph, "broken.owl")
    found = problems(rows)
    assert {p.check for p in found} == {"report:multiple_labels"}
    assert all(p.message.startswith("broken.owl: ") for p in found)
    assert counts(rows, "broken.owl") == "ERROR 2, WARN 0, INFO 1"


def test_a_profile_with_an_unknown_level_or_rule_is_refused(tmp_path: Path) -> None:
    (tmp_path / "profile.tsv").write_text("FATAL\tmissing_label\n", encoding="utf-8")
    with pytest.raises(ValueError, match="LEVEL"):
        load_rules(tmp_path)
    (tmp_path / "profile.tsv").write_text("ERROR\tno_such_rule\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no rule file"):
        load_rules(tmp_path)


def test_check_runs_the_report_over_each_product(check_report: CheckReport) -> None:
    for product in ("rls.owl", "rls-base.owl", "rls-simple.owl"):
        figure = check_report.figures[f"report {product}"]
        assert isinstance(figure, str) and figure.startswith("ERROR 0, ")
    assert {v.product for v in check_report.violations} <= {"rls.owl", "rls-base.owl", "rls-simple.owl"}
    assert not [p for p in check_report.problems if p.check.startswith(("report:", "obo"))]
    assert all(v.level in LEVELS for v in check_report.violations)


def test_obo_products_that_do_not_read_back_are_problems() -> None:
    empty = Graph()
    broken_release = Release(
        empty, empty, empty, obo="format-version: 1.4\n[Term]\nid: no id here\n", obographs="{"
    )
    found = obo_problems(broken_release)
    assert {p.subject for p in found} == {"rls.obo", "rls.json"}
    assert all(p.check == "obo" for p in found)


def test_rlskg_check_writes_every_report_row_with_report(tmp_path: Path) -> None:
    out = tmp_path / "report.tsv"
    result = CliRunner().invoke(main, ["check", "--report", str(out), str(MINI)])
    assert "report rls-base.owl" in result.output and "ERROR 0" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Level\tRule Name\tProduct\tSubject\tProperty\tValue"
    assert all(line.split("\t")[0] in LEVELS for line in lines[1:])
    assert {line.split("\t")[2] for line in lines[1:]} <= {"rls.owl", "rls-base.owl", "rls-simple.owl"}
