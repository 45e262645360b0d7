"""The dataset dumps that the VoID description names (``void:dataDump``): ``/download/dataset.nq``
and ``/download/dataset.trig``, each with its SHA-256 (``/download/dataset.nq.sha256``, in
``sha256sum`` format, and the ``Repr-Digest`` header of RFC 9530).

A dump is the build's file when the store still holds that build (its version is the build's);
otherwise (no build folder, or the store was written to since) it is made from the store, once per
dataset version. The answer is compressed here, with gzip, rather than by the transport layer, so
that its digest headers describe the bytes as sent: ``Repr-Digest`` covers the representation
(gzip-encoded when ``Content-Encoding: gzip``), ``spdx:checksum`` and the ``.sha256`` file the file.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask import Response, current_app, request

from rlskg.graph.manifest import MANIFEST, Manifest
from rlskg.graph.stores import ResultFormats
from rlskg.service.state import state

# The dump files by name, with their media types (graph/void.py DUMP_FILES names the same two).
FILES = {"dataset.nq": "application/n-quads", "dataset.trig": "application/trig"}
EXTENSION = "rlskg.dumps"


@dataclass
class Dump:
    """One dump file of one dataset version."""

    name: str
    media_type: str
    body: bytes
    version: str

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.body, compresslevel=6, mtime=0)

    @cached_property
    def digests(self) -> dict[str, str]:
        """The digest headers of the plain body, made once per dump, not per request."""
        return _digest_fields(self.body)

    @cached_property
    def gzipped_digests(self) -> dict[str, str]:
        return _digest_fields(self.gzipped)

    @property
    def checksum_line(self) -> str:
        """The line ``sha256sum -c`` reads."""
        return f"{self.sha256}  {self.name}\n"


def _from_build(name: str, version: str) -> bytes | None:
    """The build's file, if the store holds that build (same version)."""
    out = state().settings.out
    if out is None or not (Path(out) / name).is_file() or not (Path(out) / MANIFEST).is_file():
        return None
    try:
        manifest = Manifest.from_json((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return (Path(out) / name).read_bytes() if manifest.version == version else None


def _from_store(media_type: str) -> bytes:
    current = state()
    answer = current.store.get_dataset(
        formats=ResultFormats((), (media_type,)), timeout=current.settings.query_timeout
    )
    return answer.body


def dump(name: str) -> Dump:
    """The dump ``name`` (a key of FILES) of the dataset as it is now.

    :raises StoreError: when it must be made from the store and the store fails.
    """
    version = state().store.version
    cache: dict[str, Dump] = current_app.extensions.setdefault(EXTENSION, {})
    found = cache.get(name)
    if found is None or found.version != version:
        body = _from_build(name, version)
        if body is None:
            body = _from_store(FILES[name])
        found = Dump(name, FILES[name], body, version)
        cache[name] = found
    return found


def _digest_fields(data: bytes) -> dict[str, str]:
    encoded = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
    return {
        "Repr-Digest": f"sha-256=:{encoded}:",  # RFC 9530
        "Content-Digest": f"sha-256=:{encoded}:",  # the same: no range, no transfer coding
        "Digest": f"SHA-256={encoded}",  # RFC 3230, for older clients
    }


def respond(name: str) -> Response:
    """The dump file, gzip-compressed when the client accepts it, with its digests and an ETag."""
    found = dump(name)
    compressed = request.accept_encodings["gzip"] > 0
    data = found.gzipped if compressed else found.body
    response = Response(data, content_type=found.media_type)
    response.headers.update(found.gzipped_digests if compressed else found.digests)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Link"] = f'</download/{name}.sha256>; rel="describedby"; type="text/plain"'
    response.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    response.set_etag(found.sha256[:32] + ("-gzip" if compressed else ""))
    response.make_conditional(request)  # 304 for a matching If-None-Match
    return response


def respond_checksum(name: str) -> Response:
    """``<sha256>  <name>``, as ``sha256sum`` writes it."""
    found = dump(name)
    response = Response(found.checksum_line, content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    response.set_etag(found.sha256[:32] + "-sha256")
    response.make_conditional(request)
    return response
