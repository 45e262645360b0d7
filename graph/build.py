"""Build the dataset: ontology + one graph per source + simple + inferred, and write it out.

The output folder gets ``dataset.nq``, ``dataset.trig``, the ontology release in ``ontology/``,
``void.ttl`` and ``manifest.json`` (see ``graph.manifest``). Everything is written into a temporary
folder beside it first and moved in only when all of it is written, so that a failed build leaves
the previous output as it was; files of the folder that the build does not write (docs, a store)
are left alone.

The same input gives byte-identical files: blank nodes get stable skolem IRIs (``graph.skolem``),
the writers sort (``graph.writer``), and the manifest holds no timestamp. One file depends on what
was there before: when the folder holds a previous build, ``ontology/release-diff.md`` says what
changed in the release since its ``rls.owl`` (``ontology.diff``).

HermiT runs once: its classification feeds both the inferred graph and the release's classified
products (``ontology.release``).
"""

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDFS

from rlskg.graph.derive import derive_inferred, derive_simple
from rlskg.graph.errors import GraphBuildError
from rlskg.graph.manifest import (
    MANIFEST,
    NQUADS,
    PRODUCTS,
    RELEASE_DIR,
    TRIG,
    VOID,
    Manifest,
    file_hash,
    hash_files,
)
from rlskg.graph.skolem import skolemize
from rlskg.graph.sources import load_sources
from rlskg.graph.void import describe_dataset
from rlskg.graph.writer import nquads_text, trig_text, turtle_text, write_text
from rlskg.ontology.diff import DiffInputError
from rlskg.ontology.namespaces import DATASET_IRI, GRAPH, SRC
from rlskg.ontology.products import Entailed
from rlskg.ontology.reason import ReasonerError, ReasonerResult, reason
from rlskg.ontology.release import DIFF_NAME, RELEASE_NAME, write_release
from rlskg.ontology.source import OntologySourceError, load_with_model

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: where, the dataset version, triples per named graph (in dataset order)."""

    out_dir: Path
    version: str
    graphs: dict[str, int]
    files: tuple[Path, ...]
    reasoner_messages: tuple[str, ...]
    seconds: float
    dataset: Dataset = field(repr=False, compare=False)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def build_dataset(
    out_dir: Path,
    sources_dir: Path | None = None,
    *,
    ontology_file: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the dataset from ``sources_dir`` (default ``graph/sources``) and the ontology
    (default ``ontology/rls.ttl``, imports merged, with the data model ``ontology/rlskg-model.ttl``:
    the ontology graph holds both), and write it into ``out_dir``.

    :param progress: called with one line per step (default: written to stderr).
    :raises GraphBuildError: a source or the ontology cannot be read, or ``out_dir`` cannot be
        written; the previous output is then untouched.
    """
    started = time.perf_counter()
    step = _Steps(progress or _to_stderr)
    _check_out_dir(out_dir)

    with step("reading the sources"):
        sources = load_sources(sources_dir)
    with step("loading the ontology"):
        loaded = _load_ontology(ontology_file)
    with step("giving blank nodes stable IRIs"):
        ontology = skolemize(loaded)
        source_graphs = [(source.graph_iri, skolemize(source.graph)) for source in sources]
    with step("deriving simple triples"):
        asserted = Graph(bind_namespaces="none")
        for _iri, graph in source_graphs:
            asserted += graph
        simple = derive_simple(asserted)
    with step("classifying (HermiT)"):
        classification = _classify(loaded, ontology_file)
        entailed = classification.entailed
        classified = [(URIRef(sub), RDFS.subClassOf, URIRef(sup)) for sub, sup in classification.inferred]
    with step("reasoning (owlrl, OWL 2 RL)"):
        inference = derive_inferred(ontology, [asserted, simple], classified)

    dataset = Dataset()
    for iri, graph in [
        (GRAPH.ontology, ontology),
        *source_graphs,
        (GRAPH.simple, simple),
        (GRAPH.inferred, inference.graph),
    ]:
        named = dataset.graph(iri)
        named += graph
    order = [GRAPH.ontology, *(iri for iri, _graph in source_graphs), GRAPH.simple, GRAPH.inferred]
    named_graphs = [dataset.graph(iri) for iri in order]
    sources_of = {source.graph_iri: SRC[source.key] for source in sources}
    manifest = _write_build(
        out_dir, named_graphs, sources_of, inference.messages, ontology_file, entailed, step
    )

    files = tuple(sorted(out_dir / name for name in [*manifest.files, MANIFEST]))
    seconds = round(time.perf_counter() - started, 3)
    counts = {str(graph.identifier): len(graph) for graph in named_graphs}
    return BuildResult(out_dir, manifest.version, counts, files, inference.messages, seconds, dataset)


def _write_build(
    out_dir: Path,
    graphs: list[Graph],
    sources_of: dict[URIRef, URIRef],
    messages: tuple[str, ...],
    ontology_file: Path | None,
    entailed: Entailed,
    step: "_Steps",
) -> Manifest:
    """Write every product into a temporary folder beside ``out_dir``, then move them in."""
    staging: Path | None = None
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
        with step("writing the dataset"):
            write_text(staging / NQUADS, nquads_text(graphs))
            write_text(staging / TRIG, trig_text(graphs))
            version = file_hash(staging / NQUADS)
            void = describe_dataset(graphs, version, sources_of)
            write_text(staging / VOID, turtle_text(void, lead=URIRef(DATASET_IRI)))
        with step("writing the ontology release"):
            # the previous build's full product, if any: the release diff is against it
            previous = out_dir / RELEASE_DIR / f"{RELEASE_NAME}.owl"
            _write_release(staging / RELEASE_DIR, ontology_file, entailed, previous)
        counts = {str(graph.identifier): len(graph) for graph in graphs}
        manifest = Manifest(version, counts, hash_files(staging), messages)
        write_text(staging / MANIFEST, manifest.to_json())
        _swap_in(staging, out_dir)
    except OSError as error:
        raise GraphBuildError(f"{out_dir}: cannot write the build: {error}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _load_ontology(ontology_file: Path | None) -> Graph:
    try:
        return load_with_model(ontology_file)
    except OntologySourceError as error:
        raise GraphBuildError(str(error)) from None


def _classify(loaded: Graph, ontology_file: Path | None) -> ReasonerResult:
    """HermiT's classification, run once: its conclusions the ontology does not assert go into the
    inferred graph, and the whole named-class hierarchy into the release."""
    try:
        result = reason(ontology_file, graph=loaded)
    except (ReasonerError, OntologySourceError) as error:
        raise GraphBuildError(f"classifying the ontology with HermiT: {error}") from None
    if not result.consistent:
        raise GraphBuildError("the ontology is inconsistent (HermiT); `rlskg check` says why")
    return result


def _write_release(out_dir: Path, ontology_file: Path | None, entailed: Entailed, previous: Path) -> None:
    try:
        write_release(out_dir, ontology_file, entailed, previous if previous.is_file() else None)
    except OntologySourceError as error:
        raise GraphBuildError(str(error)) from None
    except DiffInputError as error:  # a previous rls.owl that no longer parses: no diff, say why
        (out_dir / DIFF_NAME).write_text(f"# Release diff\n\nNot made: {error}\n", encoding="utf-8")


def _check_out_dir(out_dir: Path) -> None:
    """Refuse to replace files in a folder that is not a previous build (``--out .`` at the top of
    the repository would otherwise replace ``ontology/``).

    :raises GraphBuildError: ``out_dir`` is a file, or holds a product name but no manifest.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise GraphBuildError(f"{out_dir}: is a file, not a folder")
    if out_dir.is_dir() and not (out_dir / MANIFEST).is_file():
        clashes = [name for name in PRODUCTS if (out_dir / name).exists()]
        if clashes:
            raise GraphBuildError(
                f"{out_dir}: holds {', '.join(clashes)} but no {MANIFEST}, so it is not an rlskg build; "
                "choose another --out"
            )


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Move the products from ``staging`` into ``out_dir``, the old ones into ``staging`` (removed
    with it). The manifest goes out first and comes in last: a folder caught half-way has none,
    which ``check_dataset`` reports."""
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = staging / ".previous"
    previous.mkdir()
    for name in PRODUCTS[::-1]:
        if (out_dir / name).exists():
            os.replace(out_dir / name, previous / name)
    for name in PRODUCTS:
        os.replace(staging / name, out_dir / name)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class _Steps:
    """Reports each step as it starts and how long it took."""

    def __init__(self, say: Progress) -> None:
        self._say = say

    @contextmanager
    def __call__(self, what: str) -> Iterator[None]:
        self._say(f"rlskg build: {what} ...")
        started = time.perf_counter()
        yield
        self._say(f"rlskg build: {what}: done in {time.perf_counter() - started:.1f} s")
