"""graph.stores: the embedded Oxigraph store behind the Store interface."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDFS

from rlskg.graph.stores import (
    DataSyntaxError,
    EvaluationError,
    GraphNotFound,
    NotAcceptable,
    OxigraphStore,
    QueryDataset,
    QuerySyntaxError,
    ResultFormats,
    ResultTooLarge,
    Store,
    UnsupportedFormat,
    open_store,
)
from tests.support.service import DATA, GRAPH, RLS, TRIPLES, parse

CSV = ResultFormats(("text/csv",), ("application/n-triples",))
UNION = QueryDataset(union_default_graph=True)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def rows(store: Store, query: str, dataset: QueryDataset = UNION) -> list[str]:
    return store.query(query, formats=CSV, dataset=dataset).body.decode().splitlines()[1:]


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    opened = open_store(None, [DATA])
    assert isinstance(opened, OxigraphStore)
    return opened


@pytest.mark.parametrize("extension", ["ttl", "nt", "rdf", "owl", "jsonld", "trig", "nq"])
def test_load_reads_every_format_by_extension(tmp_path: Path, extension: str) -> None:
    fmt = ox.RdfFormat.from_extension("rdf" if extension == "owl" else extension)
    assert fmt is not None
    quads = list(ox.parse(path=DATA))
    path = tmp_path / f"data.{extension}"
    if fmt.supports_datasets:
        ox.serialize(quads, path, fmt)
    else:  # a format of triples: the union of the graphs
        ox.serialize([q.triple for q in quads], path, fmt)
    assert open_store(None, [path]).stats().triples == TRIPLES


def test_load_unknown_extension_is_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(UnsupportedFormat, match="unknown RDF file extension"):
        open_store(None, [DATA, tmp_path / "data.csv"])


def test_load_bad_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "bad.ttl").write_text("<a> <b> .")
    with pytest.raises(DataSyntaxError, match=r"bad\.ttl"):
        open_store(None, [tmp_path / "bad.ttl"])


def test_open_store_reads_build_version(tmp_path: Path) -> None:
    (tmp_path / "dataset.trig").write_bytes(DATA.read_bytes())
    (tmp_path / "manifest.json").write_text('{"version": "v1", "graphs": {}, "files": {}}')
    assert open_store(tmp_path).version == "v1"
    with pytest.raises(FileNotFoundError, match="rlskg build"):
        open_store(tmp_path / "empty")


def test_stats_counts_each_named_graph(store: OxigraphStore) -> None:
    stats = store.stats()
    assert stats.triples == TRIPLES and stats.default_graph_triples == 0
    assert stats.graphs == {GRAPH + "ontology": 8, GRAPH + "nhs": 6, GRAPH + "simple": 3}


def test_query_union_default_graph_sees_every_graph(store: OxigraphStore) -> None:
    assert rows(store, COUNT) == [str(TRIPLES)]
    assert rows(store, COUNT, QueryDataset()) == ["0"]  # the store's own default graph is empty


def test_query_protocol_dataset_replaces_from(store: OxigraphStore) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}nhs> WHERE {{ ?s ?p ?o }}"
    assert rows(store, query, QueryDataset()) == ["6"]
    assert rows(store, query, QueryDataset(default_graphs=(GRAPH + "simple",))) == ["3"]
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rows(store, named, QueryDataset(named_graphs=(GRAPH + "nhs",))) == ["6"]


def test_query_syntax_error_carries_position(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError, match=r"1:\d+"):
        store.query("SELECT * WHERE { ?s ?p }", formats=CSV)


def test_query_without_acceptable_format_is_not_acceptable(store: OxigraphStore) -> None:
    with pytest.raises(NotAcceptable):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }", formats=ResultFormats(("text/csv",), ()))


def test_query_result_past_the_byte_limit_stops(store: OxigraphStore) -> None:
    with pytest.raises(ResultTooLarge, match="limit of 100 bytes"):
        store.query("SELECT * WHERE { ?s ?p ?o }", formats=CSV, dataset=UNION, max_bytes=100)


def test_get_graph_serialises_with_prefixes(store: OxigraphStore) -> None:
    answer = store.get_graph(GRAPH + "simple", formats=ResultFormats((), ("text/turtle",)))
    assert b"@prefix rls:" in answer.body
    assert len(parse(answer.body, "turtle")) == 3
    with pytest.raises(GraphNotFound):
        store.get_graph(GRAPH + "missing", formats=ResultFormats((), ("text/turtle",)))


def test_get_dataset_only_in_dataset_formats(store: OxigraphStore) -> None:
    with pytest.raises(NotAcceptable):
        store.get_dataset(formats=ResultFormats((), ("text/turtle",)))
    answer = store.get_dataset(formats=ResultFormats((), ("text/turtle", "application/n-quads")))
    assert answer.media_type == "application/n-quads" and answer.body.count(b"\n") == TRIPLES


def test_put_graph_replaces_and_changes_version() -> None:
    store = open_store(None, [DATA])
    before = store.version
    created = store.put_graph(GRAPH + "simple", b"<http://x/a> <http://x/b> <http://x/c> .", "text/turtle")
    assert not created and store.version != before
    assert store.stats().graphs[GRAPH + "simple"] == 1


def test_post_graph_creates_then_merges() -> None:
    store = open_store(None, [DATA])
    data = b"_:b <http://x/p> 'one' ."
    assert store.post_graph(GRAPH + "new", data, "text/turtle")
    assert not store.post_graph(GRAPH + "new", data, "text/turtle")
    assert store.stats().graphs[GRAPH + "new"] == 2  # two fresh blank nodes


def test_write_with_bad_data_changes_nothing() -> None:
    store = open_store(None, [DATA])
    before = store.version
    with pytest.raises(DataSyntaxError):
        store.put_graph(GRAPH + "simple", b"<http://x/a> <http://x/b> .", "text/turtle")
    assert store.version == before and store.stats().graphs[GRAPH + "simple"] == 3


def test_write_refuses_named_graphs_in_a_graph_body() -> None:
    store = open_store(None, [DATA])
    with pytest.raises(DataSyntaxError):
        store.put_graph(None, b"<http://g/> { <http://x/a> <http://x/b> <http://x/c> }", "application/trig")


def test_delete_graph_and_missing_graph() -> None:
    store = open_store(None, [DATA])
    store.delete_graph(GRAPH + "nhs")
    assert GRAPH + "nhs" not in store.named_graphs()
    with pytest.raises(GraphNotFound):
        store.delete_graph(GRAPH + "nhs")


def test_update_is_all_or_nothing() -> None:
    store = open_store(None, [DATA])
    before = store.version
    update = f"INSERT DATA {{ <{RLS}X> <{RDFS.label}> 'x' }} ; CREATE GRAPH <{GRAPH}nhs>"  # it exists
    with pytest.raises(EvaluationError):
        store.update(update)
    assert store.query(f"ASK {{ <{RLS}X> ?p ?o }}", formats=CSV, dataset=UNION).body == b"false"
    assert store.version == before


def test_query_uses_declared_prefixes() -> None:
    store = open_store(None, [DATA])
    assert rows(store, "SELECT ?l WHERE { rls:Disease rdfs:label ?l }") == ["disease"]
