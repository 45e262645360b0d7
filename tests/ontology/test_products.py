"""The release products (ontology/products.py, obo.py, release.py): each written, deterministic,
what it should hold, and loaded by the tools that read it: rdflib, fastobo, pronto, the OWL API and
HermiT. The release diff (diff.py, ``rlskg diff``, the build's release-diff.md) on two versions."""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import fastobo
import pytest
from click.testing import CliRunner
from pronto.ontology import Ontology
from pronto.term import Term
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from rlskg.cli import main
from rlskg.ontology.check import CheckReport
from rlskg.ontology.diff import diff_files
from rlskg.ontology.namespaces import OBO, OBOINOWL, RLS
from rlskg.ontology.owlapi import check_profile
from rlskg.ontology.products import IS_INFERRED, hierarchy, named_classes
from rlskg.ontology.reason import reason
from rlskg.ontology.release import write_release
from rlskg.ontology.source import load_ontology, ontology_iri
from tests.support.graph import build
from tests.support.ontology_variants import own_terms, write_variant

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "rls.ttl",
    "rls.owl",
    "rls.jsonld",
    "rls-base.owl",
    "rls-base.ttl",
    "rls-simple.owl",
    "rls-simple.ttl",
    "rls.obo",
    "rls.json",
    "rlskg-model.owl",  # the data model, its own ontology (the same for each edit file)
    "rlskg-model.ttl",
]
OWL_PRODUCTS = {"rls": "rls.owl", "rls-base": "rls-base.owl", "rls-simple": "rls-simple.owl"}
FORMATS = {".owl": "xml", ".ttl": "turtle"}


@pytest.fixture(scope="session")
def released(edit_file: Path, check_report: CheckReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release of each edit file, classified with the HermiT run of its check report."""
    assert check_report.reasoner is not None
    folder = tmp_path_factory.mktemp("release")
    write_release(folder, edit_file, check_report.reasoner.entailed)
    return folder


def product(folder: Path, name: str) -> Graph:
    path = folder / name
    return Graph().parse(path, format=FORMATS[path.suffix])


def inferred_axioms(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    return {
        (URIRef(str(graph.value(a, OWL.annotatedSource))), URIRef(str(graph.value(a, OWL.annotatedTarget))))
        for a in graph.subjects(IS_INFERRED, Literal("true"))
        if graph.value(a, OWL.annotatedProperty) == RDFS.subClassOf
    }


def test_every_product_is_written(released: Path) -> None:
    assert sorted(p.name for p in released.iterdir()) == sorted(FILES)
    assert all((released / name).stat().st_size > 1000 for name in FILES)


def test_each_product_has_its_own_version_iri_and_the_version_info(released: Path, edit_file: Path) -> None:
    edit = load_ontology(edit_file, with_imports=False)
    header = ontology_iri(edit)
    info = edit.value(header, OWL.versionInfo)
    folder = str(edit.value(header, OWL.versionIRI)).rpartition("/")[0]
    for stem, name in OWL_PRODUCTS.items():
        for file in (name, f"{stem}.ttl"):
            graph = product(released, file)
            assert graph.value(header, OWL.versionIRI) == URIRef(f"{folder}/{stem}.owl"), file
            assert graph.value(header, OWL.versionInfo) == info, file
            assert not list(graph.objects(None, OWL.imports)), file
    obo = (released / "rls.obo").read_text(encoding="utf-8")
    assert f"property_value: owl:versionIRI {folder}/rls.obo\n" in obo
    assert f"data-version: releases/{info}\n" in obo
    meta = json.loads((released / "rls.json").read_text(encoding="utf-8"))["graphs"][0]["meta"]
    assert meta["version"] == f"{folder}/rls.json"


def test_full_product_is_the_merged_ontology_with_hermits_subclass_axioms(
    released: Path, edit_file: Path, check_report: CheckReport
) -> None:
    assert check_report.reasoner is not None
    entailed = check_report.reasoner.entailed
    merged = load_ontology(edit_file)
    full = product(released, "rls.owl")
    # everything asserted is kept (blank nodes aside, which are relabelled)
    named = [t for t in merged if not any(isinstance(x, BNode) for x in t) and t[1] != OWL.versionIRI]
    assert all(t in full for t in named)
    added = inferred_axioms(full)
    assert added, "HermiT infers subclass axioms in both fixtures (the defined classes)"
    asserted = {(s, o) for s, o in merged.subject_objects(RDFS.subClassOf)}
    for sub, sup in added:
        assert (str(sub), str(sup)) in entailed and (sub, sup) not in asserted
        assert (sub, RDFS.subClassOf, sup) in full
    # only direct superclasses are added, as ROBOT's reason does
    assert added == set(hierarchy(merged, entailed).inferred())
    assert (OBOINOWL.is_inferred, RDF.type, OWL.AnnotationProperty) in full


def test_expected_classification_is_in_the_full_product(released: Path, check_report: CheckReport) -> None:
    full = product(released, "rls.owl")
    tree = hierarchy(full, None)  # the hierarchy as now asserted, inferred axioms included
    closure = {(a, b) for a in tree.direct for b in _ancestors(tree.direct, a)}
    for row in check_report.reasoner.expected if check_report.reasoner else ():
        assert (URIRef(row.subclass), URIRef(row.superclass)) in closure, row


def test_base_product_holds_only_the_projects_own_axioms(released: Path, edit_file: Path) -> None:
    base = product(released, "rls-base.owl")
    own = load_ontology(edit_file, with_imports=False)
    header = ontology_iri(own)
    types = set(base.objects(None, OBOINOWL.hasSynonymType)) | set(base.objects(None, OBOINOWL.inSubset))
    for s, p, o in base:
        if isinstance(s, URIRef) and s != header and not s.startswith(str(RLS)):
            if s in types:  # a synonym type or subset in use: named, and declared one for OBO
                assert p in (RDF.type, RDFS.label, RDFS.subPropertyOf), (s, p)
                assert p != RDFS.subPropertyOf or o in (OBOINOWL.SynonymTypeProperty, OBOINOWL.SubsetProperty)
            else:
                assert p == RDF.type, (s, p)  # external entities: declared, nothing more
    for term in own_terms(own):
        assert (term, RDFS.label, None) in base
    imported = {s for s in load_ontology(edit_file).subjects(RDFS.label, None)} - set(own.subjects())
    assert imported, "both fixtures import RO terms with labels"
    assert not any((term, RDFS.label, None) in base for term in imported - types)
    assert (header, URIRef("http://purl.org/dc/elements/1.1/type"), OBO.IAO_8000001) in base
    # the inferred axioms about the project's classes; those about reused terms (an Uberon class
    # under another, through the project's placement of both) are, like every axiom whose subject
    # is another ontology's term, not the project's own (ROBOT's --axioms external)
    full = inferred_axioms(product(released, "rls.owl"))
    assert inferred_axioms(base) == {(a, b) for a, b in full if str(a).startswith(str(RLS))}


def test_simple_product_is_the_reduced_named_class_hierarchy(
    released: Path, edit_file: Path, check_report: CheckReport
) -> None:
    assert check_report.reasoner is not None
    simple = product(released, "rls-simple.owl")
    merged = load_ontology(edit_file)
    classes = named_classes(merged)
    assert named_classes(simple) == classes
    for predicate in (OWL.equivalentClass, OWL.disjointWith, RDFS.domain, OWL.onProperty, OWL.intersectionOf):
        assert not list(simple.subject_objects(predicate)), predicate
    assert not list(simple.subjects(RDF.type, OWL.ObjectProperty))
    assert not list(simple.subjects(RDF.type, OWL.NamedIndividual))
    parents: dict[URIRef, set[URIRef]] = {}
    for sub, sup in simple.subject_objects(RDFS.subClassOf):
        assert isinstance(sub, URIRef) and isinstance(sup, URIRef)
        parents.setdefault(sub, set()).add(sup)
    # transitively reduced: no parent is also an ancestor through another parent
    for sub, ups in parents.items():
        for up in ups:
            assert not any(up in _ancestors(parents, other) for other in ups - {up}), (sub, up)
    # and its closure is HermiT's classification of the named classes
    closure = {(str(a), str(b)) for a in parents for b in _ancestors(parents, a)}
    entailed = {
        (a, b) for a, b in check_report.reasoner.entailed if URIRef(a) in classes and URIRef(b) in classes
    }
    assert closure == {(a, b) for a, b in entailed if (b, a) not in entailed}
    # annotations are kept
    for term in own_terms(merged):
        assert set(simple.objects(term, RDFS.label)) == set(merged.objects(term, RDFS.label))


def test_products_are_byte_for_byte_reproducible(
    released: Path, edit_file: Path, check_report: CheckReport, tmp_path: Path
) -> None:
    assert check_report.reasoner is not None
    pairs = tmp_path / "entailed.json"
    pairs.write_text(json.dumps(sorted(check_report.reasoner.entailed)), encoding="utf-8")
    code = (
        "import json, sys; from pathlib import Path; from rlskg.ontology.release import write_release; "
        "pairs = frozenset(tuple(p) for p in json.loads(Path(sys.argv[3]).read_text())); "
        "write_release(Path(sys.argv[1]), Path(sys.argv[2]), pairs)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    command = [sys.executable, "-c", code, str(tmp_path / "again"), str(edit_file), str(pairs)]
    subprocess.run(command, check=True, cwd=ROOT, env=env, timeout=300)
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (released / name).read_bytes(), name


# rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7.6 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_reads_every_rdf_file(released: Path) -> None:
    for name, fmt in [("rls.ttl", "turtle"), ("rls.jsonld", "json-ld")] + [
        (n, FORMATS[Path(n).suffix]) for n in FILES if n.startswith(("rls-", "rls.owl"))
    ]:
        graph = Graph().parse(released / name, format=fmt)
        assert len(graph) > 100, name


def test_obo_parses_with_fastobo_and_loads_in_pronto(released: Path, edit_file: Path) -> None:
    text = (released / "rls.obo").read_text(encoding="utf-8")
    document = fastobo.loads(text)
    assert str(document).rstrip("\n") == text.rstrip("\n")  # fastobo writes back the same text
    simple = product(released, "rls-simple.owl")
    classes = named_classes(simple)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ontology = Ontology(released / "rls.obo", encoding="utf-8")
    own = sorted(c for c in classes if c.startswith(str(RLS)))
    assert {t.id for t in ontology.terms()} >= {f"rls:{c.removeprefix(str(RLS))}" for c in own}
    assert "idspace: rls https://w3id.org/rlskg/ontology/" in text
    assert "\nid: https://w3id.org/rlskg/ontology/" not in text  # CURIEs, not IRIs
    # a term as OBO says it: name, definition, synonyms, xrefs, parents
    term = own_terms(simple)[0]
    loaded = ontology[f"rls:{term.removeprefix(str(RLS))}"]
    assert loaded.name == str(simple.value(term, RDFS.label))
    assert str(loaded.definition) == str(simple.value(term, OBO.IAO_0000115))
    assert {s.description for s in loaded.synonyms} == {
        str(o)
        for p in (OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym)
        for o in simple.objects(term, p)
    } | {
        str(o) for p in (OBOINOWL.hasBroadSynonym, OBOINOWL.hasNarrowSynonym) for o in simple.objects(term, p)
    }
    edges = {(str(sub), str(sup)) for sub in own for sup in simple.objects(sub, RDFS.subClassOf)}
    loaded_edges = set()
    for cls in own:
        found = ontology[f"rls:{cls.removeprefix(str(RLS))}"]
        assert isinstance(found, Term)
        for parent in found.superclasses(distance=1, with_self=False):
            loaded_edges.add((str(cls), _iri(parent.id)))
    assert loaded_edges == edges


def test_obographs_json_loads_in_pronto(released: Path) -> None:
    text = (released / "rls.json").read_text(encoding="utf-8")
    document = json.loads(text)
    graph = document["graphs"][0]
    assert graph["id"] == "https://w3id.org/rlskg/ontology"
    simple = product(released, "rls-simple.owl")
    assert {n["id"] for n in graph["nodes"] if n["type"] == "CLASS"} == {
        str(c) for c in named_classes(simple)
    }
    assert len(graph["edges"]) == len(list(simple.subject_objects(RDFS.subClassOf)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ontology = Ontology(released / "rls.json", encoding="utf-8")
    term = own_terms(simple)[0]
    loaded = ontology[str(term)]
    assert loaded.name == str(simple.value(term, RDFS.label))
    assert {x.id for x in loaded.xrefs} == {str(o) for o in simple.objects(term, OBOINOWL.hasDbXref)}


@pytest.mark.reasoner
@pytest.mark.parametrize(
    "name", ["rls.owl", "rls-base.owl", "rls-simple.owl", "rls-base.ttl", "rls-simple.ttl"]
)
def test_owl_api_finds_each_owl_product_in_owl2_dl(released: Path, name: str) -> None:
    report = check_profile(released / name)
    assert report.in_profile, report.violations[:5]
    classes = named_classes(product(released, "rls-simple.owl"))
    if "base" in name:  # the reused terms it does not use are not in it
        classes = {c for c in classes if str(c).startswith(str(RLS))}
    assert report.stats["classes"] >= len(classes)


@pytest.mark.reasoner
@pytest.mark.parametrize("stem", sorted(OWL_PRODUCTS))
def test_hermit_finds_each_owl_product_consistent_and_classifies_it_alike(
    released: Path, stem: str, check_report: CheckReport
) -> None:
    assert check_report.reasoner is not None
    path = released / OWL_PRODUCTS[stem]
    graph = product(released, OWL_PRODUCTS[stem])
    result = reason(path, expected=released / "none.tsv", graph=graph)
    assert result.consistent and not result.unsatisfiable
    classes = {str(c) for c in named_classes(graph)}
    expected = {(a, b) for a, b in check_report.reasoner.entailed if a in classes and b in classes}
    if stem == "rls":  # the same logic
        assert result.entailed == expected
    elif stem == "rls-base":  # less: the axioms on reused terms (MONDO X under rls:Y) are not in it
        assert result.entailed <= expected
    else:  # the simple product's hierarchy is its own classification
        assert {(str(a), str(b)) for a, b in hierarchy(graph, None).edges()} <= result.entailed


# -- the release diff -------------------------------------------------------------------------


def _changed_copy(edit_file: Path, folder: Path) -> Path:
    """A next version of ``edit_file``: a class added, a label and an axiom changed, a mapping's
    predicate changed, an xref removed."""
    graph = load_ontology(edit_file, with_imports=False)
    terms = own_terms(graph)
    relabelled, moved = terms[0], terms[1]
    graph.set((relabelled, RDFS.label, Literal("a label changed by the test", lang="en")))
    graph.add((RLS.AddedByTheTest, RDF.type, OWL.Class))
    graph.add((RLS.AddedByTheTest, RDFS.label, Literal("added by the test", lang="en")))
    graph.add((RLS.AddedByTheTest, RDFS.subClassOf, moved))
    restriction = BNode()
    graph.add((moved, RDFS.subClassOf, restriction))
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, OBO.BFO_0000050))
    graph.add((restriction, OWL.someValuesFrom, relabelled))
    mapped = sorted((s, o) for s, o in graph.subject_objects(SKOS.exactMatch) if isinstance(s, URIRef))[0]
    graph.remove((mapped[0], SKOS.exactMatch, mapped[1]))
    graph.add((mapped[0], SKOS.closeMatch, mapped[1]))
    xref = sorted((s, o) for s, o in graph.subject_objects(OBOINOWL.hasDbXref) if isinstance(s, URIRef))[0]
    graph.remove((xref[0], OBOINOWL.hasDbXref, xref[1]))
    return write_variant(edit_file, folder, graph)


def test_diff_of_two_versions_names_classes_axioms_and_mappings(edit_file: Path, tmp_path: Path) -> None:
    write_release(tmp_path / "old", edit_file)
    write_release(tmp_path / "new", _changed_copy(edit_file, tmp_path / "source"))
    result = diff_files(tmp_path / "old" / "rls.owl", tmp_path / "new" / "rls.owl")
    assert [name for name, _label in result.classes_added] == ["rls:AddedByTheTest"]
    assert not result.classes_removed
    changed = {name: lines for name, _label, lines in result.classes_changed}
    graph = load_ontology(edit_file, with_imports=False)
    relabelled, moved = (f"rls:{t.removeprefix(str(RLS))}" for t in own_terms(graph)[:2])
    assert any(
        line.startswith('+ rdfs:label "a label changed by the test"@en') for line in changed[relabelled]
    )
    assert f"+ {moved} SubClassOf: (obo:BFO_0000050 some {relabelled})" in changed[moved]
    assert f"rls:AddedByTheTest SubClassOf: {moved}" in result.axioms_added
    assert f"{moved} SubClassOf: (obo:BFO_0000050 some {relabelled})" in result.axioms_added
    assert len(result.mappings_changed) == 1 and "skos:exactMatch" in result.mappings_changed[0][0]
    assert "skos:closeMatch" in result.mappings_changed[0][1]
    assert len(result.mappings_removed) == 1 and "oboInOwl:hasDbXref" in result.mappings_removed[0]
    assert result.counts()["classes"] == (1, 0, len(changed))
    assert diff_files(tmp_path / "new" / "rls.owl", tmp_path / "new" / "rls.ttl").empty


def test_diff_pairs_an_axiom_changed_in_place(edit_file: Path, tmp_path: Path) -> None:
    old = load_ontology(edit_file)
    new = load_ontology(edit_file)
    defined = sorted(  # a defined class of the project's (an imported one may be a union)
        (
            s
            for s, o in new.subject_objects(OWL.equivalentClass)
            if isinstance(o, BNode) and str(s).startswith(str(RLS)) and new.value(o, OWL.intersectionOf)
        ),
        key=str,
    )[0]
    members = new.value(new.value(defined, OWL.equivalentClass), OWL.intersectionOf)
    assert members is not None
    new.set((members, RDF.first, OWL.Thing))  # the genus of the definition replaced
    (tmp_path / "old.ttl").write_text(old.serialize(format="turtle"), encoding="utf-8")
    (tmp_path / "new.ttl").write_text(new.serialize(format="turtle"), encoding="utf-8")
    result = diff_files(tmp_path / "old.ttl", tmp_path / "new.ttl")
    assert len(result.axioms_changed) == 1 and not result.axioms_added and not result.axioms_removed
    before, after = result.axioms_changed[0]
    assert "EquivalentTo" in before and "owl:Thing" in after and "owl:Thing" not in before


def test_rlskg_diff_prints_markdown_and_refuses_a_missing_file(edit_file: Path, tmp_path: Path) -> None:
    write_release(tmp_path / "old", edit_file)
    write_release(tmp_path / "new", _changed_copy(edit_file, tmp_path / "source"))
    runner = CliRunner()
    result = runner.invoke(
        main, ["diff", str(tmp_path / "old" / "rls.owl"), str(tmp_path / "new" / "rls.owl")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Release diff\n")
    assert "| classes | 1 | 0 |" in result.output and "## Mappings changed" in result.output
    missing = runner.invoke(main, ["diff", str(tmp_path / "nowhere.owl"), str(tmp_path / "new" / "rls.owl")])
    assert missing.exit_code == 2 and "file not found" in missing.output


def test_build_writes_the_release_diff_against_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(out)
    assert not (out / "ontology" / "release-diff.md").exists()  # nothing to compare with
    build(out)
    text = (out / "ontology" / "release-diff.md").read_text(encoding="utf-8")
    assert text.startswith("# Release diff\n") and "No changes." in text


def _ancestors(
    parents: dict[URIRef, frozenset[URIRef]] | dict[URIRef, set[URIRef]], start: URIRef
) -> set[URIRef]:
    seen: set[URIRef] = set()
    stack = list(parents.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(parents.get(node, ()))
    return seen


def _iri(obo_id: str) -> str:
    """An OBO identifier of rls.obo as the IRI it stands for."""
    prefix, _, local = obo_id.partition(":")
    if prefix == "rls":
        return str(RLS) + local
    return obo_id if "://" in obo_id else f"{OBO}{prefix}_{local}"
