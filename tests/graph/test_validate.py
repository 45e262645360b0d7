"""check_dataset: the build's files against its manifest, and the data against the SHACL shapes."""

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from rlskg.graph.build import BuildResult
from rlskg.graph.validate import check_dataset, shape_problems
from rlskg.ontology.problems import Problem
from tests.support.graph import build

PREFIXES = """
@prefix rls: <https://w3id.org/rlskg/ontology/> .
@prefix src: <https://w3id.org/rlskg/id/source/> .
@prefix assoc: <https://w3id.org/rlskg/id/association/> .
@prefix fig: <https://w3id.org/rlskg/id/figure/> .
@prefix pop: <https://w3id.org/rlskg/id/population/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Appended to beta.ttl: one defect each.
DEFECTS = """
@prefix fig: <https://w3id.org/rlskg/id/figure/> .
@prefix pop: <https://w3id.org/rlskg/id/population/> .
assoc:beta-no-source a rls:Association ;
    rls:subject rls:MultipleSclerosis ; rls:predicate rls:worsens ; rls:object rls:RestlessLegsSyndrome ;
    rls:claimStrength rls:Established .

fig:beta-min-above-max a rls:Figure ;
    rls:measure rls:Prevalence ; rls:unit rls:Percent ; rls:minValue 30.0 ; rls:maxValue 20.0 ;
    rls:population pop:people-with-ms .

fig:beta-percent-over-100 a rls:Figure ;
    rls:measure rls:Prevalence ; rls:unit rls:Percent ; rls:minValue 90.0 ; rls:maxValue 120.0 ;
    rls:population pop:people-with-ms .

src:gamma a rls:Source .
"""


def _messages(problems: list[Problem], subject: str) -> list[str]:
    return [p.message for p in problems if p.subject == subject]


def test_clean_build_has_no_problem(built: BuildResult) -> None:
    assert check_dataset(built.out_dir) == []


def test_shapes_catch_the_defects(tmp_path: Path, sources_copy: Path) -> None:
    beta = sources_copy / "beta.ttl"
    beta.write_text(beta.read_text(encoding="utf-8") + DEFECTS, encoding="utf-8")
    build(tmp_path / "build", sources_copy)
    problems = check_dataset(tmp_path / "build")
    assert {p.check for p in problems} == {"data-shapes"}
    base = "https://w3id.org/rlskg/id/"
    (message,) = _messages(problems, base + "association/beta-no-source")
    assert message == (
        "an association has at least one rls:source, an rls:Source"
        " [shape:AssociationSource, sh:MinCountConstraintComponent]"
    )
    (message,) = _messages(problems, base + "figure/beta-min-above-max")
    assert "rls:minValue is greater than its rls:maxValue" in message
    assert "sh:LessThanOrEqualsConstraintComponent" in message
    (message,) = _messages(problems, base + "figure/beta-percent-over-100")
    assert "lies in [0, 100]" in message
    (message,) = _messages(problems, base + "source/gamma")
    assert message.startswith("a source has a dcterms:title")
    assert len(problems) == 4


@pytest.mark.parametrize(
    ("turtle", "fragment"),
    [
        ("assoc:a rls:claimStrength rls:Maybe .", "exactly one rls:claimStrength"),
        ("assoc:a rls:evidenceType obo:GO_0008150 .", "ECO class IRI"),
        ("assoc:a rls:subject rls:Typo .", "rls:subject has no rdfs:label"),
        ("assoc:a rls:numberOfStudies 25 .", "xsd:nonNegativeInteger"),
        ("assoc:a rls:negated true , false .", "at most one xsd:boolean"),
        ("fig:f rls:maxValue 3 .", "an xsd:decimal"),
        ("fig:f rls:minValue -1.0 .", "[0, 100]"),
        ("fig:f rls:maxValue 0.5 .", "greater than its rls:maxValue"),
        ("pop:nameless a rls:Population .", "a population has an rdfs:label"),
    ],
)
def test_shape_rule(turtle: str, fragment: str) -> None:
    base = (
        PREFIXES
        + """
src:s a rls:Source ; dcterms:title "S" .
rls:MultipleSclerosis rdfs:label "multiple sclerosis" .
rls:RestlessLegsSyndrome rdfs:label "restless legs syndrome" .
rls:Percent a rls:Unit . rls:Prevalence a rls:Measure .
rls:associatedWith a <http://www.w3.org/2002/07/owl#ObjectProperty> .
pop:p a rls:Population ; rdfs:label "p" .
assoc:a a rls:Association ; rls:subject rls:MultipleSclerosis ; rls:predicate rls:associatedWith ;
    rls:object rls:RestlessLegsSyndrome ; rls:claimStrength rls:Associated ; rls:source src:s .
fig:f a rls:Figure ; rls:measure rls:Prevalence ; rls:unit rls:Percent ; rls:population pop:p ;
    rls:minValue 1.0 ; rls:maxValue 2.0 .
"""
    )
    clean = Graph().parse(data=base, format="turtle")
    assert shape_problems(clean) == []
    broken = Graph().parse(data=base + turtle, format="turtle")
    assert any(fragment in problem.message for problem in shape_problems(broken))


def _copy(built: BuildResult, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built.out_dir, tmp_path / "build"))


def test_changed_file_is_reported(built: BuildResult, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    with (out / "dataset.nq").open("a", encoding="utf-8") as stream:
        stream.write("<https://w3id.org/rlskg/x> <https://w3id.org/rlskg/y> <https://w3id.org/rlskg/z> .\n")
    messages = [(p.check, p.message) for p in check_dataset(out)]
    assert ("build", "changed since the build (its hash is not the one in manifest.json)") in messages
    assert ("build", "version is not the hash of dataset.nq") in messages


def test_missing_file_is_reported(built: BuildResult, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    (out / "void.ttl").unlink()
    assert Problem("build", str(out / "void.ttl"), "missing") in check_dataset(out)


def test_unparsable_nquads_are_reported(built: BuildResult, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    (out / "dataset.nq").write_text(
        "<https://w3id.org/rlskg/x> <https://w3id.org/rlskg/y> .\n", encoding="utf-8"
    )
    messages = [p.message for p in check_dataset(out) if p.subject == str(out / "dataset.nq")]
    assert any(message.startswith("does not parse: Invalid line") for message in messages)


def test_missing_manifest_is_reported(tmp_path: Path) -> None:
    (problem,) = check_dataset(tmp_path)
    assert problem.check == "build" and "missing" in problem.message


def test_count_mismatch_is_reported(built: BuildResult, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    simple = f'"https://w3id.org/rlskg/graph/simple": {built.graphs["https://w3id.org/rlskg/graph/simple"]}'
    (out / "manifest.json").write_text(manifest.replace(simple, simple + "0"), encoding="utf-8")
    assert any("triples in <https://w3id.org/rlskg/graph/simple>" in p.message for p in check_dataset(out))


def test_triple_in_two_graphs_is_reported(tmp_path: Path, sources_copy: Path) -> None:
    # alpha.ttl types pop:people-with-ms; stating it in beta.ttl too puts the triple in two graphs,
    # which Oxigraph's union default graph would count twice: the check names it and both graphs.
    beta = sources_copy / "beta.ttl"
    beta.write_text(
        beta.read_text(encoding="utf-8") + PREFIXES + "pop:people-with-ms a rls:Population .\n",
        encoding="utf-8",
    )
    build(tmp_path / "build", sources_copy)
    duplicates = [p for p in check_dataset(tmp_path / "build") if p.check == "duplicates"]
    assert len(duplicates) == 1
    assert "graph/alpha" in duplicates[0].message
    assert "graph/beta" in duplicates[0].message
