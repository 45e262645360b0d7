"""Stores: the ``Store`` protocol (``base``), one module per backend, and the factory that opens
the one a ``--store`` spec names. The service sees only ``Store``."""

from typing import TYPE_CHECKING, Any

from rlskg.graph.stores.base import (
    DEFAULT_DATASET,
    EXTENSION_FORMATS,
    Answer,
    DataSyntaxError,
    EvaluationError,
    ForeignData,
    GraphNotFound,
    Isolation,
    NotAcceptable,
    QueryDataset,
    QuerySyntaxError,
    QueryTimeout,
    ResultFormats,
    ResultKind,
    ResultTooLarge,
    Store,
    StoreCrashed,
    StoreError,
    StoreStats,
    StoreUnavailable,
    UnsupportedFormat,
    content_version,
    file_format,
)
from rlskg.graph.stores.factory import (
    DEFAULT_SPEC,
    StoreSpec,
    build_files,
    empty_store,
    open_store,
    parse_spec,
    read_manifest_version,
    reopen,
)
from rlskg.graph.stores.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from rlskg.graph.stores.rdflib_dataset import RdflibStore
    from rlskg.graph.stores.remote import RemoteStore


def __getattr__(name: str) -> Any:
    """``RdflibStore`` and ``RemoteStore`` on first use: an evaluator process that reopens an
    on-disk store (graph.stores.evaluator) is a fresh Python that needs neither, and they would add
    27 MiB (rdflib) and 9 MiB (urllib, http.client, ssl) to each."""
    if name == "RdflibStore":
        from rlskg.graph.stores.rdflib_dataset import RdflibStore

        return RdflibStore
    if name == "RemoteStore":
        from rlskg.graph.stores.remote import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_DATASET",
    "DEFAULT_SPEC",
    "EXTENSION_FORMATS",
    "Answer",
    "DataSyntaxError",
    "EvaluationError",
    "ForeignData",
    "GraphNotFound",
    "Isolation",
    "NotAcceptable",
    "OxigraphStore",
    "QueryDataset",
    "QuerySyntaxError",
    "QueryTimeout",
    "RdflibStore",
    "RemoteStore",
    "ResultFormats",
    "ResultKind",
    "ResultTooLarge",
    "Store",
    "StoreCrashed",
    "StoreError",
    "StoreSpec",
    "StoreStats",
    "StoreUnavailable",
    "UnsupportedFormat",
    "build_files",
    "content_version",
    "empty_store",
    "file_format",
    "open_store",
    "parse_spec",
    "read_manifest_version",
    "reopen",
]
