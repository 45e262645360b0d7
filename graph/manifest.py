"""What a build folder holds, and its ``manifest.json``.

The manifest names the dataset version (the SHA-256 of ``dataset.nq``, so the same data always has
the same version), the triples of each named graph, the SHA-256 of every other file written, and
what owlrl reported as inconsistent. It holds no timestamp: two builds of the same input are
byte-identical.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

NQUADS = "dataset.nq"
TRIG = "dataset.trig"
VOID = "void.ttl"
RELEASE_DIR = "ontology"
MANIFEST = "manifest.json"
# Everything a build writes into its folder; anything else there (docs, a store) is left alone.
PRODUCTS = (NQUADS, TRIG, VOID, RELEASE_DIR, MANIFEST)


@dataclass(frozen=True)
class Manifest:
    """The content of ``manifest.json``."""

    version: str
    graphs: Mapping[str, int]
    files: Mapping[str, str]
    reasoner_messages: tuple[str, ...] = ()

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def to_json(self) -> str:
        document = {
            "version": self.version,
            "triples": self.triples,
            "graphs": dict(self.graphs),
            "files": dict(self.files),
            "reasoner_messages": list(self.reasoner_messages),
        }
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        """:raises ValueError: the text is not JSON, or lacks a field or has one of the wrong type."""
        document = json.loads(text)
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        version, graphs, files = document.get("version"), document.get("graphs"), document.get("files")
        messages = document.get("reasoner_messages", [])
        if not isinstance(version, str):
            raise ValueError("'version' is not a string")
        if not isinstance(graphs, dict) or not all(isinstance(v, int) for v in graphs.values()):
            raise ValueError("'graphs' is not an object of triple counts")
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise ValueError("'files' is not an object of hashes")
        if not isinstance(messages, list):
            raise ValueError("'reasoner_messages' is not a list")
        return cls(version, graphs, files, tuple(str(m) for m in messages))


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_files(folder: Path) -> dict[str, str]:
    """The hash of every file under ``folder`` but the manifest, by ``/``-separated relative path."""
    return {
        path.relative_to(folder).as_posix(): file_hash(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    }
