"""The ontology's pyLODE documentation, made once and kept: never per request; shown in the site's
frame (``framed``: the site's header, with its navigation and search, over pyLODE's page).

``make serve`` writes it at build time (``rlskg docs --out build/docs``). When a build folder has
none, or one older than the build's ontology, it is made on first need from the build's
``ontology/rls.ttl`` and written there for the next start; without a build folder, from the edit
source, into memory only. pyLODE takes seconds, so one lock keeps two threads from making it twice.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

from rlskg.ontology.docs import write_docs

DOCS = Path("docs") / "index.html"
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
RELEASE = Path("ontology") / "rls.ttl"


class OntologyDocs:
    """The documentation page of one app (``out``: its build folder, or None)."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self._html: str | None = None
        self._lock = threading.Lock()

    def html(self) -> str:
        """The page.

        :raises OntologySourceError: when the ontology cannot be loaded to make it.
        """
        with self._lock:
            if self._html is None:
                self._html = self._read() or self._make()
            return self._html

    def _read(self) -> str | None:
        if self.out is None:
            return None
        page, release = self.out / DOCS, self.out / RELEASE
        if not page.is_file() or (release.is_file() and page.stat().st_mtime < release.stat().st_mtime):
            return None
        return page.read_text(encoding="utf-8")

    def _make(self) -> str:
        release = self.out / RELEASE if self.out is not None else None
        source = release if release is not None and release.is_file() else None
        if self.out is not None and self.out.is_dir():
            try:
                return write_docs(self.out / DOCS.parent, source).read_text(encoding="utf-8")
            except OSError:  # a read-only build folder: keep the page in memory only
                pass
        with tempfile.TemporaryDirectory() as scratch:
            return write_docs(Path(scratch), source).read_text(encoding="utf-8")


def framed(page: str) -> str:
    """pyLODE's page with the site's header at the top of its body (and the header's styles and
    script), so that the documentation has the site's navigation and a way back."""
    from flask import render_template, url_for

    header = render_template("site_header.html", framed=True)
    styles = f'<link rel="stylesheet" href="{url_for("static", filename="frame.css")}">'
    icon = f'<link rel="icon" href="{url_for("static", filename="favicon.svg")}" type="image/svg+xml">'
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    script = f'<script src="{url_for("static", filename="search.js")}" defer></script>'
    body = _BODY.search(page)
    if body is None:
        return page
    head_end = page.lower().find("</head>", 0, body.start())
    at = body.end()
    framed_page = page[:at] + "\n" + header + script + page[at:]
    if head_end >= 0:
        framed_page = framed_page[:head_end] + viewport + styles + icon + framed_page[head_end:]
    return framed_page
