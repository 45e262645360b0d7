"""The API page (Swagger UI from npm over /openapi.json, a route table without JavaScript) and the
ontology's documentation in the site's frame."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.support.browser import BROWSER


def test_get_api_page_renders_the_openapi_document_with_a_vendored_viewer(client: FlaskClient) -> None:
    page = client.get("/api", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert 'data-url="/openapi.json"' in page
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/sparql", "/store", "/dataset", "/download/{name}"):  # the table without JavaScript
        assert path in paths and f"<code>{path}</code>" in page
    viewer = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert viewer.status_code == 200 and len(viewer.data) > 500_000 and b"sourceMappingURL" not in viewer.data
    viewer.close()


def test_get_ontology_docs_are_in_the_site_frame(client: FlaskClient) -> None:
    page = client.get("/doc/ontology", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "pyLODE" in page and '<header class="site framed">' in page
    header = page.split('<header class="site framed">', 1)[1].split("</header>", 1)[0]
    assert 'href="/"' in header and 'href="/query"' in header and 'action="/search"' in header
    assert "/static/frame.css" in page and 'name="viewport"' in page
    assert page.index("<body") < page.index('<header class="site framed">')


def test_every_page_links_to_the_api_page(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'href="/api"' in page and 'href="/openapi.json"' not in page.split("<main>")[0]
