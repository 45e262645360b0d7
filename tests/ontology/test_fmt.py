"""The canonical Turtle form: stable, idempotent, independent of blank-node labels and input order."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from rlskg.ontology.commands import fmt_command
from rlskg.ontology.fmt import UNORDERED_LISTS, canonical_text, format_file, format_graph, is_canonical
from rlskg.ontology.source import parse_turtle
from tests.support.ontology_variants import write_variant


def test_edit_file_is_canonical(edit_file: Path) -> None:
    assert is_canonical(edit_file), f"{edit_file} is not in canonical form: run `rlskg fmt {edit_file}`"


def test_fmt_is_idempotent(edit_file: Path) -> None:
    once = canonical_text(edit_file)
    assert format_graph(Graph().parse(data=once, format="turtle")) == once


def test_fmt_keeps_every_triple(edit_file: Path) -> None:
    original = parse_turtle(edit_file)
    formatted = Graph().parse(data=canonical_text(edit_file), format="turtle")
    assert len(formatted) == len(original)
    # fmt reorders the members of set-like lists (owl:unionOf, ...): compare those as sets
    assert isomorphic(_lists_as_sets(_plain_strings(original)), _lists_as_sets(formatted))


def test_fmt_does_not_depend_on_input_order_or_blank_node_labels(edit_file: Path) -> None:
    # rdflib's own Turtle writer orders subjects differently and labels some blank nodes
    shuffled = parse_turtle(edit_file).serialize(format="nt")
    assert format_graph(Graph().parse(data=shuffled, format="nt")) == canonical_text(edit_file)


def test_fmt_writes_header_first_and_predicates_in_obo_order(edit_file: Path) -> None:
    text = canonical_text(edit_file)
    blocks = text.split("\n\n")
    assert blocks[1].startswith("<https://w3id.org/rlskg/ontology>\n    a owl:Ontology ;")
    block = next(b for b in blocks if b.startswith("rls:RestlessLegsSyndrome\n"))
    order = ["a owl:Class", "rdfs:label", "obo:IAO_0000115", "obo:IAO_0000119", "rdfs:subClassOf"]
    positions = [block.index("\n    " + p) for p in order]
    assert positions == sorted(positions)


def test_fmt_sorts_set_lists_and_keeps_property_chains() -> None:
    text = """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix ex: <http://example.org/> .
        ex:A owl:equivalentClass [ a owl:Class ; owl:unionOf ( ex:C ex:B ) ] .
        ex:p owl:propertyChainAxiom ( ex:r ex:q ) .
    """
    out = format_graph(Graph().parse(data=text, format="turtle"))
    assert "owl:unionOf (\n" in out and out.index("ex:B") < out.index("ex:C")
    assert out.index("ex:r") < out.index("ex:q")


def test_fmt_labels_shared_blank_nodes_deterministically() -> None:
    text = """
        @prefix ex: <http://example.org/> .
        ex:a ex:p _:shared .  ex:b ex:p _:shared .  _:shared ex:q "x" .
        _:loop ex:next _:loop2 . _:loop2 ex:next _:loop .
    """
    first = format_graph(Graph().parse(data=text, format="turtle"))
    second = format_graph(Graph().parse(data=text, format="turtle"))
    assert first == second
    assert isomorphic(Graph().parse(data=first, format="turtle"), Graph().parse(data=text, format="turtle"))


def test_fmt_writes_xsd_string_as_a_plain_literal() -> None:
    graph = Graph()
    graph.add(
        (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("x", datatype=XSD.string))
    )
    assert '"x" .' in format_graph(graph)


def test_fmt_check_cli_fails_on_a_non_canonical_copy_and_fmt_fixes_it(
    edit_file: Path, tmp_path: Path
) -> None:
    copy = write_variant(edit_file, tmp_path, text=parse_turtle(edit_file).serialize(format="turtle"))
    runner = CliRunner()
    checked = runner.invoke(fmt_command, ["--check", str(copy)])
    assert checked.exit_code == 1
    assert str(copy) in checked.output and "not in canonical form" in checked.output
    fixed = runner.invoke(fmt_command, [str(copy)])
    assert fixed.exit_code == 0 and "reformatted" in fixed.output
    assert runner.invoke(fmt_command, ["--check", str(copy)]).exit_code == 0
    assert copy.read_text(encoding="utf-8") == canonical_text(edit_file)
    assert not format_file(copy)


def test_fmt_cli_on_bad_turtle_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "rls.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = CliRunner().invoke(fmt_command, ["--check", str(bad)])
    assert result.exit_code == 2 and f"{bad}:2" in result.output


@pytest.mark.parametrize("args", [["--check"], []])
def test_fmt_cli_on_missing_file_exits_2(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(fmt_command, [*args, str(tmp_path / "absent.ttl")])
    assert result.exit_code == 2 and "file not found" in result.output


def _lists_as_sets(graph: Graph) -> Graph:
    """The graph with each set-like list replaced by one ``subject predicate member`` per member."""
    out = Graph()
    out += graph
    for subject, predicate, head in list(graph.triples((None, None, None))):
        if predicate in UNORDERED_LISTS:
            out.remove((subject, predicate, head))
            for member in Collection(graph, head):
                out.add((subject, predicate, member))
            node: Node | None = head
            while isinstance(node, BNode):
                out.remove((node, None, None))
                node = graph.value(node, RDF.rest)
    return out


def _plain_strings(graph: Graph) -> Graph:
    """The graph with ^^xsd:string written plain, as fmt does (the same literal in RDF 1.1)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out
