"""Loading the edit file and its imports through the catalog, and the errors when that fails."""

import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rlskg.ontology.source import (
    CATALOG_FILE,
    EDIT_FILE,
    IMPORTS_DIR,
    OntologySourceError,
    load_catalog,
    load_ontology,
    parse_turtle,
    resolve_imports,
)
from tests.support.ontology_variants import write_variant


def test_package_paths_point_beside_the_code() -> None:
    assert EDIT_FILE.name == "rls.ttl" and EDIT_FILE.is_file()
    assert CATALOG_FILE.is_file() and IMPORTS_DIR.is_dir()
    assert EDIT_FILE.parent == CATALOG_FILE.parent == IMPORTS_DIR.parent


def test_load_catalog_maps_every_import_to_an_existing_file(edit_file: Path) -> None:
    mappings = load_catalog(edit_file.parent / "catalog-v001.xml")
    assert mappings
    assert all(target.is_absolute() and target.is_file() for target in mappings.values())


def test_load_ontology_merges_imports_into_one_ontology(edit_file: Path) -> None:
    alone = load_ontology(edit_file, with_imports=False)
    merged = load_ontology(edit_file)
    imports = resolve_imports(edit_file)
    assert imports, "the edit file imports the RO module"
    assert list(alone.objects(None, OWL.imports))
    assert not list(merged.objects(None, OWL.imports))
    ontologies = [s for s in merged.subjects(RDF.type, OWL.Ontology)]
    assert ontologies == [URIRef("https://w3id.org/rlskg/ontology")]
    # the imported RO relations arrive with their labels (the mini fixture imports RO only)
    imported = parse_turtle(next(path for iri, path in imports if iri.endswith("/ro_import.owl")))
    relations = [p for p in imported.subjects(RDF.type, OWL.ObjectProperty)]
    assert relations
    assert all((p, RDFS.label, None) in merged for p in relations)


def test_unparsable_turtle_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "rls.ttl"
    path.write_text('@prefix rls: <https://w3id.org/rlskg/ontology/> .\n\nrls:A rls:b "open\nrls:C .\n')
    with pytest.raises(OntologySourceError) as caught:
        load_ontology(path)
    assert caught.value.path == path and caught.value.line == 3
    assert "invalid Turtle" in str(caught.value) and f"{path}:3" in str(caught.value)


def test_missing_edit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OntologySourceError, match="file not found"):
        load_ontology(tmp_path / "absent.ttl")


def test_import_missing_from_catalog_is_an_error_naming_the_import(edit_file: Path, tmp_path: Path) -> None:
    copy = write_variant(edit_file, tmp_path)
    (tmp_path / "catalog-v001.xml").write_text(
        '<?xml version="1.0"?>\n<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>\n'
    )
    with pytest.raises(OntologySourceError, match="is not mapped in") as caught:
        load_ontology(copy)
    assert caught.value.path == copy
    unmapped = re.search(r"import <([^>]+)>", str(caught.value))
    assert caught.value.line is not None and unmapped is not None
    assert unmapped.group(1) in copy.read_text().splitlines()[caught.value.line - 1]  # its line


def test_import_mapped_to_a_missing_file_names_the_catalog(edit_file: Path, tmp_path: Path) -> None:
    copy = write_variant(edit_file, tmp_path)
    for imported in (tmp_path / "imports").iterdir():
        imported.unlink()
    with pytest.raises(OntologySourceError, match="which does not exist") as caught:
        load_ontology(copy)
    assert caught.value.path == tmp_path / "catalog-v001.xml"
    assert caught.value.line == 3


def test_malformed_catalog_names_its_line(edit_file: Path, tmp_path: Path) -> None:
    copy = write_variant(edit_file, tmp_path)
    (tmp_path / "catalog-v001.xml").write_text('<?xml version="1.0"?>\n<catalog>\n<uri name="x"\n')
    with pytest.raises(OntologySourceError, match="not well-formed XML") as caught:
        load_ontology(copy)
    assert caught.value.line is not None
