"""Which store to open, from a ``--store`` spec (and ``RLSKG_STORE``), and opening it.

============================  =================================================================
``oxigraph`` (default)        embedded Oxigraph in memory; the build is loaded at each start
``oxigraph:PATH``             embedded Oxigraph on disk (RocksDB); a build is loaded only when its
                              version differs from the one loaded last; updates survive restarts
``rdflib``                    an rdflib Dataset in memory (pure Python, slow on joins)
``sparql:QUERY[,UPDATE]``     a remote SPARQL 1.1 store; fill it with ``rlskg publish``
============================  =================================================================

>>> parse_spec("oxigraph:/var/lib/rlskg")
StoreSpec(kind='oxigraph', path=PosixPath('/var/lib/rlskg'), urls=())
>>> parse_spec("sparql:http://127.0.0.1:7878/query,http://127.0.0.1:7878/update").urls
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rlskg.graph.manifest import MANIFEST, NQUADS, TRIG, Manifest
from rlskg.graph.stores.base import Store, StoreUnavailable, content_version
from rlskg.graph.stores.oxigraph import OxigraphStore, read_state
from rlskg.ontology.prefixes import PREFIXES

if TYPE_CHECKING:
    from rlskg.graph.stores.auth import RemoteAccess

DEFAULT_SPEC = "oxigraph"


@dataclass(frozen=True)
class StoreSpec:
    kind: Literal["oxigraph", "rdflib", "sparql"]
    path: Path | None = None  # oxigraph on disk
    urls: tuple[str, ...] = ()  # sparql: the query URL, then the update URL if any

    @property
    def in_memory(self) -> bool:
        return self.kind == "rdflib" or (self.kind == "oxigraph" and self.path is None)


def parse_spec(spec: str) -> StoreSpec:
    """Read a ``--store`` value.

    :raises ValueError: naming the forms accepted.
    """
    kind, _, rest = spec.strip().partition(":")
    if kind == "oxigraph":
        return StoreSpec("oxigraph", Path(rest) if rest else None)
    if kind == "rdflib" and not rest:
        return StoreSpec("rdflib")
    if kind == "sparql":
        urls = tuple(url.strip() for url in rest.split(",") if url.strip())
        if 1 <= len(urls) <= 2 and all(url.startswith(("http://", "https://")) for url in urls):
            return StoreSpec("sparql", urls=urls)
    raise ValueError(
        f"STORE must be oxigraph, oxigraph:PATH, rdflib or sparql:QUERY_URL[,UPDATE_URL], not {spec!r}"
    )


def read_manifest_version(out: Path) -> str | None:
    """The dataset version a build's manifest.json names, if the build wrote a readable one."""
    try:
        return Manifest.from_json((out / MANIFEST).read_text(encoding="utf-8")).version
    except (OSError, ValueError):
        return None


def build_files(out: Path) -> list[Path]:
    """The dataset file of a build folder: N-Quads (fastest to parse), else TriG."""
    return next(([out / name] for name in (NQUADS, TRIG) if (out / name).is_file()), [])


def empty_store(spec: StoreSpec, *, writable: bool = True, access: RemoteAccess | None = None) -> Store:
    """The store a spec names, with nothing loaded (an on-disk or remote one holds what it holds);
    ``access``: how to authenticate to a remote one."""
    if spec.kind == "sparql":
        # The HTTP client only when asked for: an evaluator that reopens a disk store is a fresh
        # Python, and urllib, http.client and ssl add 9 MiB to each.
        from rlskg.graph.stores.remote import RemoteStore

        update_url = spec.urls[1] if len(spec.urls) > 1 else None
        return RemoteStore(spec.urls[0], update_url, PREFIXES, access=access)
    if spec.kind == "rdflib":
        from rlskg.graph.stores.rdflib_dataset import RdflibStore  # rdflib only when asked for

        return RdflibStore(PREFIXES)
    return OxigraphStore(PREFIXES, path=spec.path, read_only=spec.path is not None and not writable)


def reopen(spec: str) -> Store:
    """A store's read-only twin in a fresh process (``Isolation.spec``; see graph.stores.evaluator)."""
    return empty_store(parse_spec(spec), writable=False)


def open_store(
    out: Path | None = None,
    data: Sequence[Path] = (),
    *,
    spec: str = DEFAULT_SPEC,
    writable: bool = True,
    access: RemoteAccess | None = None,
) -> Store:
    """The store ``spec`` names, holding a build's dataset and/or extra RDF files; queries may use
    the project's prefixes (``ontology.namespaces.PREFIXES``) without declaring them.

    An on-disk store loads only data it does not hold yet, and with ``writable`` false is then
    reopened read-only. A remote store is not loaded (``rlskg publish`` does that); ``access``
    says how to authenticate to it.

    :raises ValueError: for a bad spec, or files given with a remote store.
    :raises FileNotFoundError: when a named file is missing, or ``out`` holds no dataset.
    :raises graph.stores.StoreError: as ``Store.load``; StoreUnavailable when RocksDB is locked.
    """
    parsed = parse_spec(spec)
    paths = build_files(out) if out is not None else []
    if out is not None and not paths and parsed.kind != "sparql":
        raise FileNotFoundError(f"{out} holds no dataset.nq or dataset.trig: run `rlskg build --out {out}`")
    for path in data:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    if parsed.kind == "sparql":
        if data:
            raise ValueError("a remote store serves what it holds: load files into it with `rlskg publish`")
        return empty_store(parsed, access=access)
    files = [*paths, *data]
    version = (read_manifest_version(out) if out is not None and not data else None) or (
        content_version(files) if files else None
    )
    if parsed.path is not None and not writable:
        loaded = read_state(parsed.path)[0]
        if loaded is not None and (not files or loaded == version):
            # Loaded already (by `rlskg serve`, before its workers start): readers need no writer.
            return _open_local(parsed, writable=False)
    store = _open_local(parsed, writable=True)
    if files:
        store.load(files, version=version)
    if parsed.path is not None and not writable:
        store.close()
        del store  # RocksDB allows one writer or many readers: let go before reopening
        return _open_local(parsed, writable=False)
    return store


def _open_local(spec: StoreSpec, *, writable: bool) -> Store:
    try:
        return empty_store(spec, writable=writable)
    except OSError as error:  # RocksDB's lock: another process has this store open for writing
        raise StoreUnavailable(f"cannot open the store at {spec.path}: {error}") from None
