"""The claim lint (graph/claims.py): each rule passes a claim that says what its source says and
reports the same claim broken the way the ontology review found the graph broken."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from rlskg.graph.claims import lint, rule_names

PREFIXES = """
@prefix rls: <https://w3id.org/rlskg/ontology/> .
@prefix assoc: <https://w3id.org/rlskg/id/association/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix graph: <https://w3id.org/rlskg/graph/> .
"""
# The relation hierarchy the rules read, as the ontology states it: causal under RO:0002410,
# statistical under RO:0002610, relief apart from both.
ONTOLOGY = """
graph:ontology {
  rls:causes rdfs:subPropertyOf rls:causesOrContributesTo .
  rls:contributesTo rdfs:subPropertyOf rls:causesOrContributesTo .
  rls:causesOrContributesTo rdfs:subPropertyOf obo:RO_0002410 .
  rls:worsens rdfs:subPropertyOf obo:RO_0002410 .
  rls:riskFactorFor rdfs:subPropertyOf obo:RO_0003308 .
  obo:RO_0003308 rdfs:subPropertyOf obo:RO_0002610 .
  rls:associatedWith rdfs:subPropertyOf obo:RO_0002610 .
  rls:onsetDuring rdfs:label "onset during" .
  rls:relieves rdfs:label "relieves" .
  rls:ThirdTrimesterOfPregnancy rdfs:subClassOf rls:Pregnancy .
  rls:FemaleSex rdfs:subClassOf rls:BiologicalSex .
}
"""


def claim(name: str, subject: str, predicate: str, obj: str, strength: str, extra: str = "") -> str:
    return f"""graph:test {{ assoc:{name} a rls:Association ; rls:subject rls:{subject} ;
        rls:predicate rls:{predicate} ; rls:object rls:{obj} ;
        rls:claimStrength rls:{strength} {extra} . }}"""


def found(*parts: str) -> set[tuple[str, str]]:
    store = ox.Store()
    store.load(PREFIXES + ONTOLOGY + "\n".join(parts), format=ox.RdfFormat.TRIG)
    return {
        (problem.check.removeprefix("claims:"), problem.subject.rsplit("/", 1)[-1]) for problem in lint(store)
    }


def test_every_rule_file_is_tested_here() -> None:
    assert set(rule_names()) == {
        "onset-is-not-cause",
        "correlation-is-not-causal",
        "hedge-matches-strength",
        "simple-states-only-firm-claims",
        "no-cause-from-statistics-or-relief",
    }
    assert all(Path(__file__).read_text().count(f'"{name}"') >= 2 for name in rule_names())


def test_faithful_claims_pass() -> None:
    assert (
        found(
            claim("onset", "RestlessLegsSyndrome", "onsetDuring", "ThirdTrimesterOfPregnancy", "Established"),
            claim(
                "worse", "Pregnancy", "worsens", "RestlessLegsSyndrome", "Hypothesised", '; rls:hedge "seems"'
            ),
            claim("risk", "FemaleSex", "riskFactorFor", "RestlessLegsSyndrome", "Associated"),
            claim(
                "cause",
                "IronDeficiency",
                "causes",
                "RestlessLegsSyndrome",
                "Hypothesised",
                '; rls:hedge "may"',
            ),
            # the source's own hedged causal hypothesis about pregnancy (Verywell: "may lead to")
            claim(
                "maybe", "Pregnancy", "causes", "RestlessLegsSyndrome", "Hypothesised", '; rls:hedge "may"'
            ),
            "graph:simple { rls:FemaleSex rls:riskFactorFor rls:RestlessLegsSyndrome . }",
        )
        == set()
    )


@pytest.mark.parametrize(
    ("broken", "rule"),
    [
        # review A2: onset in pregnancy recorded as a cause
        (
            claim("a2", "ThirdTrimesterOfPregnancy", "causes", "RestlessLegsSyndrome", "Established"),
            "onset-is-not-cause",
        ),
        (
            claim("d1", "FemaleSex", "contributesTo", "RestlessLegsSyndrome", "Established"),
            "onset-is-not-cause",
        ),
        # review A3: a correlation recorded with a causal predicate
        (
            claim("a3", "IronDeficiency", "worsens", "RestlessLegsSyndrome", "Associated"),
            "correlation-is-not-causal",
        ),
        (
            claim("a3b", "FemaleSex", "causes", "RestlessLegsSyndrome", "Associated"),
            "correlation-is-not-causal",
        ),
        # review A5 and the table: a hedged claim recorded as firm, a hypothesis with no hedge
        (
            claim(
                "a5",
                "ParkinsonDisease",
                "associatedWith",
                "RestlessLegsSyndrome",
                "Associated",
                '; rls:hedge "may"',
            ),
            "hedge-matches-strength",
        ),
        (
            claim("a5b", "Caffeine", "worsens", "RestlessLegsSyndrome", "Hypothesised"),
            "hedge-matches-strength",
        ),
        (
            claim(
                "a5c",
                "Walking",
                "associatedWith",
                "RestlessLegsSyndrome",
                "Established",
                '; rls:hedge "linked"',
            ),
            "hedge-matches-strength",
        ),
    ],
)
def test_a_claim_that_says_more_than_its_source_is_reported(broken: str, rule: str) -> None:
    name = broken.split("assoc:", 1)[1].split(" ", 1)[0]
    assert (rule, name) in found(broken)


@pytest.mark.parametrize(
    ("claims", "simple"),
    [
        # review B1: a hypothesised claim stated as a plain triple
        (
            claim("b1", "Caffeine", "worsens", "RestlessLegsSyndrome", "Hypothesised", '; rls:hedge "may"'),
            "rls:Caffeine rls:worsens rls:RestlessLegsSyndrome .",
        ),
        # a negated claim stated as a plain triple
        (
            claim("neg", "Walking", "causes", "RestlessLegsSyndrome", "Established", "; rls:negated true"),
            "rls:Walking rls:causes rls:RestlessLegsSyndrome .",
        ),
    ],
)
def test_the_simple_graph_states_only_firm_claims(claims: str, simple: str) -> None:
    problems = found(claims, f"graph:simple {{ {simple} }}")
    assert any(rule == "simple-states-only-firm-claims" for rule, _ in problems), problems


@pytest.mark.parametrize(
    ("claims", "hierarchy", "inferred"),
    [
        # review D1: a statistical relation placed under a causal one turns a correlation into a cause
        (
            claim("d1", "FemaleSex", "riskFactorFor", "RestlessLegsSyndrome", "Associated"),
            "rls:riskFactorFor rdfs:subPropertyOf obo:RO_0003306 . "
            "obo:RO_0003306 rdfs:subPropertyOf obo:RO_0003302 .",
            "rls:FemaleSex obo:RO_0003302 rls:RestlessLegsSyndrome .",
        ),
        # review D1: a relief placed in the causes-or-contributes chain (RO:0003307 is under RO:0003302)
        (
            claim("relief", "Walking", "relieves", "RestlessLegsSyndrome", "Established"),
            "rls:relieves rdfs:subPropertyOf obo:RO_0003307 . "
            "obo:RO_0003307 rdfs:subPropertyOf obo:RO_0003302 .",
            "rls:Walking obo:RO_0003302 rls:RestlessLegsSyndrome .",
        ),
        # review D4: the causal trunk under the statistical one
        (
            claim("d4", "IronDeficiency", "causes", "RestlessLegsSyndrome", "Established"),
            "rls:causesOrContributesTo rdfs:subPropertyOf rls:associatedWith .",
            "rls:IronDeficiency rls:causesOrContributesTo rls:RestlessLegsSyndrome .",
        ),
    ],
)
def test_no_cause_is_inferred_from_a_correlation_or_a_relief(
    claims: str, hierarchy: str, inferred: str
) -> None:
    problems = found(claims, f"graph:ontology {{ {hierarchy} }}", f"graph:inferred {{ {inferred} }}")
    assert any(rule == "no-cause-from-statistics-or-relief" for rule, _ in problems), problems


def test_a_cause_backed_by_a_causal_claim_passes() -> None:
    assert (
        found(
            claim("cause", "IronDeficiency", "causes", "RestlessLegsSyndrome", "Established"),
            "graph:inferred { rls:IronDeficiency rls:causesOrContributesTo rls:RestlessLegsSyndrome . }",
        )
        == set()
    )
