"""Find the source files (one Turtle file per source document) and parse them.

Only syntax is checked here; whether the triples make sense (an association without a subject, a
figure out of range) is for the SHACL shapes, run by ``graph.validate``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from rlskg.graph.errors import GraphBuildError
from rlskg.ontology.namespaces import GRAPH

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
# Names of the build's own graphs, which a source key would collide with.
RESERVED_KEYS = frozenset({"ontology", "simple", "inferred"})
# A key becomes the last segment of an IRI (graph:<key>, src:<key>): keep it plain.
_KEY = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


@dataclass(frozen=True)
class Source:
    """One parsed source file: its key (the file name without ``.ttl``), path and triples."""

    key: str
    path: Path
    graph: Graph

    @property
    def graph_iri(self) -> URIRef:
        """The named graph the source's triples go into."""
        return GRAPH[self.key]


def find_sources(sources_dir: Path | None = None) -> list[Path]:
    """The ``*.ttl`` files of ``sources_dir`` (default ``graph/sources``), sorted by name.

    :raises GraphBuildError: the folder does not exist or holds no Turtle file.
    """
    folder = sources_dir or SOURCES_DIR
    if not folder.is_dir():
        raise GraphBuildError(f"{folder}: no such folder of source files")
    paths = sorted(folder.glob("*.ttl"))
    if not paths:
        raise GraphBuildError(f"{folder}: holds no source file (*.ttl)")
    return paths


def source_key(path: Path) -> str:
    """The key of a source file: its name without ``.ttl``.

    :raises GraphBuildError: the name is not lower-case letters, digits and hyphens, or is the
        name of one of the build's own graphs.
    """
    key = path.stem
    if not _KEY.match(key):
        raise GraphBuildError(f"{path}: a source file name must be lower-case letters, digits and '-'")
    if key in RESERVED_KEYS:
        raise GraphBuildError(f"{path}: '{key}' is the name of a graph the build makes; rename the file")
    return key


def parse_source(path: Path) -> Graph:
    """Parse one source file.

    :raises GraphBuildError: the file cannot be read or is not valid Turtle; the message names
        the file, the line (when the parser knows it) and the reason.
    """
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as error:
        # BadSyntax counts lines from 0, and its str() is several lines with context: keep the reason.
        raise GraphBuildError(f"{path}:{error.lines + 1}: invalid Turtle: {error._why}") from None
    except UnicodeDecodeError:
        raise GraphBuildError(_encoding_error(path)) from None
    except (OSError, ValueError) as error:
        raise GraphBuildError(f"{path}: cannot be read as Turtle: {error}") from None
    return graph


def _encoding_error(path: Path) -> str:
    """Where a file stops being UTF-8, by line: rdflib's position is within its read buffer."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return f"{path}:{line}: invalid Turtle: not UTF-8 (byte {data[error.start]:#04x})"
    return f"{path}: cannot be read as Turtle: not UTF-8"


def load_sources(sources_dir: Path | None = None) -> list[Source]:
    """Every source of ``sources_dir`` (default ``graph/sources``), parsed, in key order.

    :raises GraphBuildError: see :func:`find_sources`, :func:`source_key` and :func:`parse_source`.
    """
    return [Source(source_key(path), path, parse_source(path)) for path in find_sources(sources_dir)]
