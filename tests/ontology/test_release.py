"""The release files: imports merged, no owl:imports, versionIRI kept, same bytes every time.
(The products one by one, classified: test_products.py.)"""

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, RDF

from rlskg.ontology.release import write_release
from rlskg.ontology.source import load_ontology, parse_turtle


# rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7.6 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_release_files_hold_the_merged_ontology(edit_file: Path, tmp_path: Path) -> None:
    files = write_release(tmp_path, edit_file)[:3]  # unclassified: the full product is the merged ontology
    assert [f.name for f in files] == ["rls.ttl", "rls.owl", "rls.jsonld"]
    merged = load_ontology(edit_file)
    version = parse_turtle(edit_file).value(URIRef("https://w3id.org/rlskg/ontology"), OWL.versionIRI)
    assert version is not None
    reference = to_isomorphic(Graph().parse(files[0], format="turtle"))
    for path, fmt in zip(files, ["turtle", "xml", "json-ld"], strict=True):
        graph = Graph().parse(path, format=fmt)
        assert not list(graph.objects(None, OWL.imports)), path.name
        assert list(graph.subjects(RDF.type, OWL.Ontology)) == [URIRef("https://w3id.org/rlskg/ontology")]
        assert graph.value(URIRef("https://w3id.org/rlskg/ontology"), OWL.versionIRI) == version
        assert len(graph) == len(merged), path.name
        assert to_isomorphic(graph) == reference, path.name


def test_release_is_byte_for_byte_reproducible(edit_file: Path, tmp_path: Path) -> None:
    # a second interpreter, so that set order (hash randomisation) differs between the two runs
    write_release(tmp_path / "first", edit_file)
    code = "import sys; from pathlib import Path; from ontology.release import write_release; "
    code += "write_release(Path(sys.argv[1]), Path(sys.argv[2]))"
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "second"), str(edit_file)],
        check=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PYTHONHASHSEED": "random"},
    )
    names = sorted(p.name for p in (tmp_path / "first").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "second").iterdir())
    assert {
        "rls.ttl",
        "rls.owl",
        "rls.jsonld",
        "rls-base.owl",
        "rls-simple.owl",
        "rls.obo",
        "rls.json",
    } <= set(names)
    for name in names:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
