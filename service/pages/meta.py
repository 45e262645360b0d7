"""What the site tells search engines and browsers besides its pages: ``/robots.txt`` (stay off the
query routes: every GET there evaluates a query), ``/sitemap.xml`` (the home page, the dataset, the
ontology's documentation and every resource page under ``/doc/``, the reused OBO terms' too),
``/favicon.ico``, and the schema.org JSON-LD and description each page embeds in its ``<head>``.

The schema.org JSON-LD describes the page (``WebPage``) and what it is about: a term of the
ontology as a ``DefinedTerm`` of the ontology's ``DefinedTermSet``, a source as the type the data
gives it (``schema:MedicalWebPage``), the home page's subject as a ``Dataset`` with its downloads.
Jinja's ``tojson`` escapes ``<``, ``>`` and ``&``, so no label can close the script element.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, request, send_from_directory, url_for

from rlskg.ontology.namespaces import BASE, DATA_LICENSE, DATASET_IRI, ONTOLOGY_IRI
from rlskg.service.pages import STATIC
from rlskg.service.pages.describe import local_path, obo_path, select
from rlskg.service.pages.dumps import FILES
from rlskg.service.pages.view import Page
from rlskg.service.protocol import conditional
from rlskg.service.state import state

bp = Blueprint("meta", __name__)
SCHEMA = ("https://schema.org/", "http://schema.org/")
DESCRIPTION = (
    "An OWL ontology and RDF knowledge graph of restless legs syndrome (Willis-Ekbom disease): what "
    "causes it, worsens it and relieves it, each claim kept with its source, the section it comes "
    "from, how firmly the source puts it, and its figures."
)
ROBOTS = """\
# Every GET on these evaluates a query or sends a whole graph: crawl the pages instead.
User-agent: *
Disallow: /sparql
Disallow: /query?
Disallow: /update
Disallow: /store
Disallow: /api/
Disallow: /search?
Disallow: /download/

Sitemap: {root}sitemap.xml
"""


def shorten(text: str, limit: int = 200) -> str:
    """``text`` cut at a word to at most ``limit`` characters, for a meta description.

    >>> shorten("one two three", 9), shorten("short")
    ('one two…', 'short')
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def page_description(page: Page) -> str:
    """One or two sentences on a resource page, for ``<meta name="description">``."""
    if page.definitions:
        return shorten(f"{page.label}: {page.definitions[0]}")
    kinds = ", ".join(t.label for t in page.types) or "a resource"
    claims = f", with {len(page.rows)} sourced claims" if page.rows else ""
    return shorten(f"{page.label}: {kinds} in rlskg, the restless legs syndrome knowledge graph{claims}.")


def _website() -> dict[str, Any]:
    return {"@type": "WebSite", "name": "rlskg", "url": request.url_root}


def resource_schema(page: Page, url: str) -> dict[str, Any]:
    """schema.org JSON-LD of a resource page: the page, and the thing it is about."""
    about: dict[str, Any] = {"@id": page.iri, "name": page.label}
    schema_types = [t.iri.split("/")[-1] for t in page.types if t.iri and t.iri.startswith(SCHEMA)]
    if schema_types:
        about["@type"] = schema_types[0]
    elif page.is_class and page.curie:  # a term of an OBO ontology, which the graph reuses
        about["@type"] = "DefinedTerm"
        about["inDefinedTermSet"] = {
            "@type": "DefinedTermSet",
            "@id": f"http://purl.obolibrary.org/obo/{page.id_space.lower()}.owl",
            "name": page.reference_ontology,
        }
        about["termCode"] = page.curie
    elif page.is_class:
        about["@type"] = "DefinedTerm"
        about["inDefinedTermSet"] = {
            "@type": "DefinedTermSet",
            "@id": ONTOLOGY_IRI,
            "name": "the rlskg ontology",
        }
        about["termCode"] = page.iri.removeprefix(BASE + "ontology/")
    else:
        about["@type"] = "Thing"
    if page.definitions:
        about["description"] = page.definitions[0]
    if page.synonyms:
        about["alternateName"] = sorted({text for _kind, text in page.synonyms})
    same = sorted(x.href for x in page.xrefs if x.href)
    if same:
        about["sameAs"] = same
    return {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page.label,
        "description": page_description(page),
        "isPartOf": _website(),
        "about": about,
    }


def dataset_schema(version: str | None = None) -> dict[str, Any]:
    """schema.org JSON-LD of the dataset (for the home page and the dataset page)."""
    root = request.url_root
    schema: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": DATASET_IRI,
        "name": "rlskg: a knowledge graph of restless legs syndrome",
        "description": DESCRIPTION,
        "url": root + "dataset",
        "license": DATA_LICENSE,
        "isAccessibleForFree": True,
        "keywords": ["restless legs syndrome", "Willis-Ekbom disease", "knowledge graph", "ontology", "RDF"],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media_type, "contentUrl": root + "download/" + name}
            for name, media_type in FILES.items()
        ],
        "includedInDataCatalog": _website(),
    }
    if version:
        schema["version"] = version
    return schema


@bp.get("/robots.txt")
def robots() -> Response:
    response = Response(ROBOTS.format(root=request.url_root), content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    return response


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page worth indexing: the home page, the dataset, the ontology and each resource page."""
    current = state()
    validator = conditional.ReadValidator(
        request, current.store.version, current.settings.cache_max_age, "sitemap", request.url_root
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    settings = current.settings
    rows = select(current.store, "sitemap", settings.query_timeout, settings.max_result_bytes)
    root = request.url_root.rstrip("/")
    urls = [
        root + "/",
        root + url_for("dataset.dataset"),
        root + "/doc/ontology",
        root + url_for("ui.query_page"),
    ]
    for row in rows:
        path = local_path(row["iri"])
        if path is not None and path != "/ontology":
            urls.append(root + "/doc" + path)
        elif (page := obo_path(row["iri"])) is not None:  # a reused OBO term: its page here
            urls.append(root + page)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    response = Response("\n".join(lines) + "\n", content_type="application/xml; charset=utf-8")
    return validator.mark(response)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon (an SVG, which browsers read whatever the name), so that no page, RDF or error
    answer included, leaves a 404 in a browser's console."""
    response = send_from_directory(STATIC, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
    return response
