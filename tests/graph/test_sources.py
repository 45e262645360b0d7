"""Finding and parsing the source files."""

from pathlib import Path

import pytest

from rlskg.graph.errors import GraphBuildError
from rlskg.graph.sources import find_sources, load_sources, parse_source, source_key
from rlskg.ontology.namespaces import GRAPH, SRC
from tests.support.data import SOURCES

BAD_TURTLE = """@prefix rls: <https://w3id.org/rlskg/ontology/> .
@prefix src: <https://w3id.org/rlskg/id/source/> .

src:alpha a rls:Source .

rls:A rls:b rls:C ;
    rls:d "unterminated .
"""


def test_load_sources_gives_one_graph_per_file_in_key_order() -> None:
    sources = load_sources(SOURCES)
    assert [source.key for source in sources] == ["alpha", "beta"]
    assert [source.graph_iri for source in sources] == [GRAPH.alpha, GRAPH.beta]
    assert all(len(source.graph) > 0 for source in sources)
    assert (SRC.alpha, None, None) in sources[0].graph


def test_parse_source_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(BAD_TURTLE, encoding="utf-8")
    with pytest.raises(GraphBuildError) as caught:
        parse_source(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:7: invalid Turtle: ")
    assert "\n" not in message


def test_parse_source_undefined_prefix_is_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "prefix.ttl"
    path.write_text("@prefix a: <http://ex/> .\na:x a:y b:z .\n", encoding="utf-8")
    with pytest.raises(GraphBuildError, match=r"prefix\.ttl:2: invalid Turtle: .*b:"):
        parse_source(path)


def test_parse_source_not_utf8_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "latin.ttl"
    path.write_bytes(b'<http://ex/a> <http://ex/b> "caf\xe9" .\n')
    with pytest.raises(GraphBuildError, match=r"latin\.ttl"):
        parse_source(path)


@pytest.mark.parametrize(
    "name", ["Alpha.ttl", "two words.ttl", "-x.ttl", "simple.ttl", "inferred.ttl", "ontology.ttl"]
)
def test_source_key_rejects_unusable_names(name: str) -> None:
    with pytest.raises(GraphBuildError, match=r"source file name|name of a graph"):
        source_key(Path(name))


def test_find_sources_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GraphBuildError, match="holds no source file"):
        find_sources(tmp_path)


def test_find_sources_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GraphBuildError, match="no such folder"):
        find_sources(tmp_path / "nowhere")
