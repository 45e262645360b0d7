"""A cache of whole read responses, in front of the app: a repeated GET is answered from memory.

A read answer is a function of its URL, the negotiation headers and the dataset version (its ETag
says so, ``service.protocol.conditional``), so a worker may keep the bytes it sent and send them
again until the version changes: no parsing, evaluation, serialisation or compression. Varnish
plays this part in front of Wikidata's query service, and QLever keeps such a cache inside; here it
is a WSGI wrapper.

Only what the app marked as a shareable read (status 200, an ETag, ``Cache-Control: public``) to
a GET is kept, within a byte budget, least recently used out first; each worker has its own. A
client's ``Cache-Control: no-cache`` (a browser's hard reload; a benchmark timing evaluation)
skips the lookup and evaluates afresh. The version is read on every request, so an update, a new
build or a remote store's version period empties the cache.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.http import parse_etags

from rlskg.service.metrics import CACHE, QUERY_TEXT, ROUTE

Headers = list[tuple[str, str]]
StartResponse = Callable[..., Any]
# Fields of a 304 are the validators and caching headers, never the body's (RFC 9110, 15.4.5).
NOT_MODIFIED_DROPS = frozenset({"content-length", "content-type", "content-encoding"})
# Request fields a read answer may depend on: where it was asked, and what negotiation looked at.
KEY_FIELDS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
)
# Bytes an entry holds beyond the objects ``_footprint`` sizes: the Entry itself (96 with slots) and
# its slot in the OrderedDict (dict entry, index and ordering node: 66 to 89 bytes per key as the
# table fills, measured with tracemalloc on CPython 3.11, 64-bit).
ENTRY_OVERHEAD = 200


@dataclass(frozen=True, slots=True)  # slots: no per-entry __dict__ (about 280 bytes)
class Entry:
    version: str
    status: str
    headers: Headers
    body: bytes
    etag: str
    route: str | None
    query: str | None
    size: int


def _footprint(
    key: tuple[str, ...], status: str, headers: Headers, body: bytes, etag: str, query: str | None
) -> int:
    """The memory an entry keeps alive, counted as Python allocates it: each object with its header
    (a str takes 49 bytes before its first character, a header's tuple 56), not only the payload,
    which undercounted small answers about 2.3 times (tracemalloc: 1,377 bytes held per entry, 589
    counted). Not counted: what every entry shares (the version, the route, and the header names,
    which are the app's constants). Some header values are shared too (CORS): a slight overcount."""
    parts: list[object] = [key, *key, status, headers, *headers, body, etag]
    parts += (value for _, value in headers)
    if query is not None:
        parts.append(query)
    return sum(map(sys.getsizeof, parts)) + ENTRY_OVERHEAD


def _header(headers: Headers, name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _wants_fresh(environ: dict[str, Any]) -> bool:
    return "no-cache" in environ.get("HTTP_CACHE_CONTROL", "") or "no-cache" in environ.get("HTTP_PRAGMA", "")


class ResponseCache:
    """WSGI wrapper keeping the app's shareable GET answers for as long as ``version()`` holds."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], version: Callable[[], str], max_bytes: int
    ) -> None:
        self.app, self.version, self.max_bytes = app, version, max_bytes
        self.max_entry_bytes = max_bytes // 8  # one huge answer never evicts everything else
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._version = ""
        self._lock = threading.Lock()

    @property
    def size(self) -> tuple[int, int]:
        """(entries, bytes) held now."""
        return len(self._entries), self._bytes

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        key = tuple(environ.get(field, "") for field in KEY_FIELDS)
        version = self.version()
        self._sync(version)
        if not _wants_fresh(environ):
            entry = self._get(key, version)
            if entry is not None:
                environ[CACHE] = "hit"
                return self._replay(entry, environ, start_response)
        if method == "HEAD":  # a HEAD answer has no body to keep
            return self.app(environ, start_response)
        return self._fill(key, version, environ, start_response)

    def _sync(self, version: str) -> None:
        """Empty the cache when the dataset version has changed since it was filled."""
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._entries.clear()
                    self._bytes, self._version = 0, version

    def _get(self, key: tuple[str, ...], version: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def _replay(
        self, entry: Entry, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        environ[ROUTE], environ[QUERY_TEXT] = entry.route, entry.query
        matches = environ.get("HTTP_IF_NONE_MATCH")
        if matches and parse_etags(matches).contains_weak(entry.etag):
            start_response(
                "304 NOT MODIFIED", [h for h in entry.headers if h[0].lower() not in NOT_MODIFIED_DROPS]
            )
            return []
        start_response(entry.status, list(entry.headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _fill(
        self, key: tuple[str, ...], version: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        sent: list[Any] = []

        def start(status: str, headers: Headers, exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.app(environ, start)
        if not sent or not self._shareable(sent[0], sent[1]):
            return result
        environ[CACHE] = "miss"  # counted only for answers that could have been kept
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        self._put(key, version, sent[0], sent[1], body, environ)
        return [body]

    @staticmethod
    def _shareable(status: str, headers: Headers) -> bool:
        cache_control = _header(headers, "cache-control") or ""
        return (
            status.startswith("200")
            and cache_control.startswith("public")
            and _header(headers, "etag") is not None
            and _header(headers, "set-cookie") is None
        )

    def _put(
        self,
        key: tuple[str, ...],
        version: str,
        status: str,
        headers: Headers,
        body: bytes,
        environ: dict[str, Any],
    ) -> None:
        etag = next(iter(parse_etags(_header(headers, "etag")).as_set(include_weak=True)), "")
        kept, query = list(headers), environ.get(QUERY_TEXT)
        size = _footprint(key, status, kept, body, etag, query)
        if size > self.max_entry_bytes:
            return
        entry = Entry(version, status, kept, body, etag, environ.get(ROUTE), query, size)
        with self._lock:
            if version != self._version:  # the data changed while this answer was made
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size
