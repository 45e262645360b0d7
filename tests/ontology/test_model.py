"""The knowledge graph's data model is an ontology of its own (ontology/rlskg-model.ttl, review G4),
separate from the disease ontology as Biolink, SEPIO and OBAN are from MONDO: the disease ontology
stands alone, the model imports it, the dataset's ontology graph holds both, and each is released
and checked."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from rlskg.ontology.check import check_ontology
from rlskg.ontology.namespaces import MODEL_IRI, OBOINOWL, ONTOLOGY_IRI, RLS
from rlskg.ontology.owlapi import check_profile
from rlskg.ontology.products import ENTITY_TYPES
from rlskg.ontology.release import make_model_release, rdfxml_text
from rlskg.ontology.source import (
    EDIT_FILE,
    MODEL_FILE,
    load_catalog,
    load_ontology,
    load_with_model,
    ontology_iri,
    resolve_imports,
)

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = [
    *sorted((ROOT / "graph" / "sources").glob("*.ttl")),
    ROOT / "graph" / "shapes" / "data-shapes.ttl",
]
MODEL_CLASSES = {
    "Association",
    "ClaimStrength",
    "Figure",
    "Frequency",
    "Measure",
    "Population",
    "Source",
    "Unit",
}


def declared(graph: Graph) -> set[URIRef]:
    return {s for kind in ENTITY_TYPES for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def own(graph: Graph) -> set[URIRef]:
    return {t for t in declared(graph) if t.startswith(str(RLS))}


def test_each_module_has_its_own_ontology_iri_and_version_iri() -> None:
    disease = load_ontology(EDIT_FILE, with_imports=False)
    model = load_ontology(MODEL_FILE, with_imports=False)
    assert ontology_iri(disease) == URIRef(ONTOLOGY_IRI)
    assert ontology_iri(model) == URIRef(MODEL_IRI)
    assert str(model.value(URIRef(MODEL_IRI), OWL.versionIRI)).startswith(f"{MODEL_IRI}/releases/")
    assert str(model.value(URIRef(MODEL_IRI), OWL.versionIRI)).endswith("/rlskg-model.owl")


def test_the_disease_ontology_stands_alone_and_the_model_imports_it() -> None:
    modules = ("chebi", "hp", "mondo", "ro", "uberon")  # tests/ontology/test_imports.py checks them
    assert sorted(iri for iri, _ in resolve_imports(EDIT_FILE)) == [
        f"https://w3id.org/rlskg/ontology/imports/{name}_import.owl" for name in modules
    ]
    assert ONTOLOGY_IRI in [iri for iri, _ in resolve_imports(MODEL_FILE)]
    assert load_catalog()[ONTOLOGY_IRI] == EDIT_FILE.resolve()  # for Protege, no network


def test_the_data_model_terms_are_in_the_model_only() -> None:
    disease = own(load_ontology(EDIT_FILE, with_imports=False))
    model = own(load_ontology(MODEL_FILE, with_imports=False))
    assert {RLS[name] for name in MODEL_CLASSES} <= model
    assert not disease & model
    assert not {s for s in load_ontology(EDIT_FILE).subjects(OBOINOWL.inSubset, RLS.data_model)}
    # the disease ontology's relations stay in it
    assert {RLS.causes, RLS.associatedWith, RLS.treatedBy} <= disease


def test_every_term_the_data_uses_is_declared_by_one_of_the_modules() -> None:
    both = declared(load_with_model())
    for path in DATA_FILES:
        data = Graph().parse(path)
        terms = [*data.predicates(), *data.objects(None, RDF.type)]
        used = {t for t in terms if isinstance(t, URIRef) and t.startswith(str(RLS))}
        assert used <= both, (path.name, sorted(used - both))


def test_the_dataset_ontology_graph_holds_both_headers() -> None:
    graph = load_with_model()
    assert {URIRef(ONTOLOGY_IRI), URIRef(MODEL_IRI)} <= set(graph.subjects(RDF.type, OWL.Ontology))
    assert not list(graph.objects(None, OWL.imports))


@pytest.mark.reasoner
def test_the_model_product_stands_alone_in_owl2_dl(tmp_path: Path) -> None:
    product = make_model_release()
    assert not list(product.objects(None, OWL.imports))
    path = tmp_path / "rlskg-model.owl"
    path.write_text(rdfxml_text(product), encoding="utf-8")
    report = check_profile(path)
    assert report.in_profile, report.violations[:5]
    assert report.stats["classes"] >= len(MODEL_CLASSES)


@pytest.mark.reasoner
def test_rlskg_check_finds_no_problem_in_the_model() -> None:
    report = check_ontology(MODEL_FILE)
    assert report.ok, report.problems[:5]
    assert report.figures["classes"] == len(MODEL_CLASSES)
    assert "report rlskg-model.owl" in report.figures
