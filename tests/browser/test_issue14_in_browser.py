"""Issue 14: each defect a first-time user found (shared/reviews/clients.md, P6, P11 and U1-U13),
checked in headless Chromium against a real `rlskg serve`, at a desktop width (1400 px) and a phone
width (390 px, emulated as a mobile device). Screenshots go to tests/artifacts/issue14-*.png."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, FLAGS
from tests.support.browser import Site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.server]
WIDTHS = {"desktop": 1400, "phone": 390}
SCROLLING_LISTS = (
    "return [...document.querySelectorAll('.group ul')]"
    ".filter(u => u.scrollHeight > u.clientHeight + 1).length"
)
# Every element of the results either fits in #yasgui or sits in a box that scrolls sideways.
CLIPPED = """
const column = document.querySelector('#yasgui').getBoundingClientRect().right;
return [...document.querySelectorAll('#yasgui .yasr *')].every(e => {
  if (e.getBoundingClientRect().right <= column + 1) return true;
  for (let p = e.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowX;
    const clips = ['auto', 'hidden', 'scroll'].includes(overflow);
    if (clips && p.getBoundingClientRect().right <= column + 1) return true;
  }
  return false;
});
"""
MS = "/id/association/verywell-multiple-sclerosis-risk-factor-for-restless-legs-syndrome"


def wait(driver: webdriver.Chrome, seconds: float = 20) -> WebDriverWait[webdriver.Chrome]:
    return WebDriverWait(driver, seconds)


@contextlib.contextmanager
def width(driver: webdriver.Chrome, name: str) -> Iterator[None]:
    """The page at a desktop width, or as a 390 px phone (mobile emulation)."""
    if name == "phone":
        metrics = {"width": WIDTHS["phone"], "height": 844, "deviceScaleFactor": 1, "mobile": True}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    else:
        driver.set_window_size(WIDTHS["desktop"], 1000)
    try:
        yield
    finally:
        if name == "phone":
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def js(driver: webdriver.Chrome, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def no_sideways_scroll(driver: webdriver.Chrome) -> None:
    scroll, inner = js(driver, "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the page scrolls sideways: {scroll} > {inner}"


def rect(driver: webdriver.Chrome, selector: str) -> dict[str, float]:
    found: dict[str, float] = js(
        driver,
        "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return r.toJSON()",
        selector,
    )
    return found


@pytest.fixture
def plain_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Chromium with JavaScript turned off."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-nojs')}")
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        with contextlib.suppress(Exception):
            driver.quit()


@pytest.mark.parametrize("kind", WIDTHS)
def test_association_page_says_its_claim_with_figures(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """P6, U4."""
    with width(browser, kind):
        browser.get(site.url + MS)
        heading = browser.find_element(By.TAG_NAME, "h1").text
        assert heading == "multiple sclerosis: risk factor for restless legs syndrome"
        figures = browser.find_element(By.CSS_SELECTOR, "table.claims").text
        assert "prevalence: 17 percent in men with multiple sclerosis" in figures
        assert "prevalence: 26 percent in women with multiple sclerosis" in figures
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-association-{kind}")


@pytest.mark.parametrize("kind", WIDTHS)
def test_home_page_in_words_with_whole_centre_label_and_links(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """U5."""
    with width(browser, kind):
        browser.get(site.url + "/")
        box = js(browser, "return document.querySelector('figure.diagram rect.center').getBBox().width")
        label = js(browser, "return document.querySelector('figure.diagram text.center').getBBox().width")
        assert label < box, "the centre label overflows its box"
        assert browser.find_elements(By.CSS_SELECTOR, "figure.diagram a text.more")  # "and N more" links
        numbers = browser.find_element(By.CSS_SELECTOR, "table.numbers").text
        assert "classes defined in the ontology" in numbers and "distinctSubjects" not in numbers
        assert browser.find_elements(By.CSS_SELECTOR, "a[href='/graph/nhs']")
        lists = js(
            browser,
            SCROLLING_LISTS,
        )
        assert lists == 0, "an entry-point list scrolls inside the page"
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-home-{kind}")
        browser.find_element(
            By.CSS_SELECTOR, "a[href='/graph/nhs']"
        ).click()  # P7: a graph IRI, for a browser
        wait(browser).until(ready.url_contains("/dataset#graph-nhs"))
        screenshot(browser, f"issue14-dataset-{kind}")


@pytest.mark.parametrize("kind", WIDTHS)
def test_rls_page_is_short_and_fits_a_phone(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """U7: the page was 32,650 px tall, with the diagram's centre far below the fold."""
    with width(browser, kind):
        browser.get(site.url + "/ontology/RestlessLegsSyndrome")
        height = js(browser, "return document.documentElement.scrollHeight")
        assert height < (9000 if kind == "desktop" else 13000), height
        centre = rect(browser, "figure.diagram rect.center")
        figure = rect(browser, "figure.diagram")
        assert centre["top"] - figure["top"] < 400, "the diagram's centre is far below its top"
        no_sideways_scroll(browser)
        js(browser, "document.querySelector('figure.diagram').scrollIntoView()")
        screenshot(browser, f"issue14-rls-diagram-{kind}")
        group = browser.find_element(By.CSS_SELECTOR, "details.claims-group summary")
        js(browser, "arguments[0].scrollIntoView()", group)
        group.click()
        assert browser.find_element(By.CSS_SELECTOR, "details.claims-group[open] table.claims tbody tr")
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-rls-claims-{kind}")


@pytest.mark.parametrize("kind", WIDTHS)
def test_search_says_what_each_result_is(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """U3: no "owl#Class"."""
    with width(browser, kind):
        browser.get(site.url + "/")
        browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]").send_keys("iron")
        wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "ul.suggestions li a")))
        kinds = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "ul.suggestions li .type")]
        assert kinds and not any("#" in k for k in kinds) and "condition" in kinds
        screenshot(browser, f"issue14-search-{kind}")


def _run(browser: webdriver.Chrome, query: str | None = None, example: str | None = None) -> None:
    if example is not None:
        browser.find_element(By.CSS_SELECTOR, f"a[data-example='{example}']").click()
    if query is not None:
        js(browser, "window.rlskgYasgui.getTab().getYasqe().setValue(arguments[0])", query)
    button = [
        b for b in browser.find_elements(By.CSS_SELECTOR, "button.yasqe_queryButton") if b.is_displayed()
    ]
    button[0].click()


@pytest.mark.parametrize("kind", WIDTHS)
def test_query_results_stay_clear_of_the_examples(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """U1 (the results ran under the examples) and U2 (numbers 10-35 were cut to ".0.")."""
    with width(browser, kind):
        browser.get(site.url + "/query")
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
        _run(browser, example="18-sources")
        wait(browser).until(
            ready.presence_of_all_elements_located((By.CSS_SELECTOR, ".yasr table tbody tr td"))
        )
        time.sleep(0.5)
        results, examples = rect(browser, "#yasgui"), rect(browser, "aside.examples")
        if kind == "desktop":  # the results column ends before the examples; wide tables scroll inside it
            assert results["right"] <= examples["left"], "the results column reaches under the examples"
            assert js(browser, CLIPPED), "a result wider than its column is not clipped to it"
        else:
            assert examples["top"] >= results["bottom"] - 1, "on a phone the examples come after the editor"
        # U2: the marker of "35." fits in the list's left padding
        padding = js(
            browser, "return parseFloat(getComputedStyle(document.querySelector('.examples ol')).paddingLeft)"
        )
        assert padding >= 36
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-query-results-{kind}")
        js(browser, "document.querySelector('aside.examples li:nth-child(30)').scrollIntoView()")
        screenshot(browser, f"issue14-query-examples-{kind}")


def test_query_ui_ask_iris_and_reload(site: Site, browser: webdriver.Chrome, console: list[object]) -> None:
    """U8: ASK as yes/no, not raw JSON; result IRIs open this site; a reload keeps the text."""
    with width(browser, "desktop"):
        browser.get(site.url + "/query")
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
        _run(browser, "ASK { rls:Iron a owl:Class }")
        wait(browser).until(lambda d: "true" in d.find_element(By.CSS_SELECTOR, ".yasr").text.lower())
        assert '"boolean"' not in browser.find_element(By.CSS_SELECTOR, ".yasr").text
        screenshot(browser, "issue14-query-ask-desktop")
        _run(
            browser,
            'SELECT ?term ?date WHERE { BIND(rls:Iron AS ?term) BIND("2016-11-29"^^xsd:date AS ?date) }',
        )
        link = wait(browser).until(
            ready.presence_of_element_located((By.CSS_SELECTOR, ".yasr table tbody a.iri"))
        )
        assert link.get_attribute("href") == site.url + "/ontology/Iron" and link.text == "rls:Iron"
        assert "xsd:date" in browser.find_element(By.CSS_SELECTOR, ".yasr table tbody").text
        screenshot(browser, "issue14-query-iris-desktop")
        browser.refresh()
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
        assert "BIND(rls:Iron" in js(browser, "return window.rlskgYasgui.getTab().getYasqe().getValue()")


def test_query_form_without_javascript_shows_results(site: Site, plain_browser: webdriver.Chrome) -> None:
    """U9: "Run query" showed nothing (a CSV download); now the results are on the page."""
    for kind in WIDTHS:
        with width(plain_browser, kind):
            plain_browser.get(site.url + "/query")
            assert "in a tab" not in plain_browser.find_element(By.TAG_NAME, "main").text
            box = plain_browser.find_element(By.CSS_SELECTOR, "textarea[name=query]")
            box.clear()
            box.send_keys("SELECT ?label WHERE { rls:Iron rdfs:label ?label }")
            plain_browser.find_element(By.CSS_SELECTOR, "button[name=run]").click()
            table = wait(plain_browser).until(
                ready.presence_of_element_located((By.CSS_SELECTOR, "table.results"))
            )
            assert "iron" in table.text
            no_sideways_scroll(plain_browser)
            js(plain_browser, "document.querySelector('#results').scrollIntoView()")
            screenshot(plain_browser, f"issue14-query-nojs-{kind}")


@pytest.mark.parametrize("kind", WIDTHS)
def test_unknown_route_is_the_sites_page_with_a_favicon(
    site: Site, browser: webdriver.Chrome, kind: str
) -> None:
    """P11, U10: a plain-text line and a favicon.ico 404 in the console before."""
    with width(browser, kind):
        browser.get_log("browser")  # type: ignore[no-untyped-call]
        for path in ("/nosuch/page", "/ontology/RestlessLegsSyndrome/"):
            browser.get(site.url + path)
            assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
            assert browser.find_element(By.CSS_SELECTOR, "header.site a.brand")
            screenshot(browser, f"issue14-not-found{path.replace('/', '-').rstrip('-')}-{kind}")
        entries = browser.get_log("browser")  # type: ignore[no-untyped-call]
        assert not [e for e in entries if "favicon" in str(e.get("message", ""))], entries
        # the only errors are the 404s of the pages asked for themselves
        assert all("404" in str(e.get("message", "")) for e in entries if e.get("level") == "SEVERE"), entries


@pytest.mark.parametrize("kind", WIDTHS)
def test_ontology_docs_and_api_page_are_in_the_site(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """U6: the ontology docs had no way back; "API" opened raw JSON."""
    with width(browser, kind):
        browser.get(site.url + "/ontology")
        assert "Restless Legs Syndrome Ontology" in browser.find_element(By.TAG_NAME, "h1").text
        header = browser.find_element(By.CSS_SELECTOR, "header.site.framed")
        assert header.is_displayed() and rect(browser, "header.site.framed")["top"] >= 0
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-ontology-docs-{kind}")
        header.find_element(By.LINK_TEXT, "API").click()
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#swagger-ui .opblock")))
        assert len(browser.find_elements(By.CSS_SELECTOR, "#swagger-ui .opblock")) > 20
        screenshot(browser, f"issue14-api-{kind}")
        browser.find_element(By.CSS_SELECTOR, "header.site a.brand").click()
        wait(browser).until(ready.url_to_be(site.url + "/"))


@pytest.mark.parametrize("kind", WIDTHS)
def test_source_and_term_pages_name_relations_in_words(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    """U11 (the source page: no link to the original, raw CURIEs) and U13 (iron's "Linked from": the
    page of ChEBI's iron atom, which replaced rls:Iron)."""
    with width(browser, kind):
        browser.get(site.url + "/id/source/nhs")
        assert "kept no web address" in browser.find_element(By.CSS_SELECTOR, "p.note").text
        relations = browser.find_element(By.CSS_SELECTOR, "dl.relations").text
        assert "dcterms:" not in relations and "schema:" not in relations and "obo:IAO" not in relations
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-source-{kind}")
        browser.get(site.url + "/doc/obo/CHEBI_18248")
        names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "dl.relations dt")]
        assert names and not [n for n in names if ":" in n], names
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-iron-{kind}")


@pytest.mark.parametrize("kind", WIDTHS)
def test_claims_view_for_a_researcher(
    site: Site, browser: webdriver.Chrome, console: list[object], kind: str
) -> None:
    with width(browser, kind):
        browser.get(site.url + "/claims?about=https://w3id.org/rlskg/ontology/MultipleSclerosis")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.claims tbody tr")
        assert rows and "17 percent" in browser.find_element(By.CSS_SELECTOR, "table.claims").text
        no_sideways_scroll(browser)
        screenshot(browser, f"issue14-claims-{kind}")


def test_yasgui_error_box_reads_as_a_message(site: Site, browser: webdriver.Chrome) -> None:
    """U12: the parser's message as YASGUI shows it."""
    with width(browser, "desktop"):
        browser.get(site.url + "/query")
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
        _run(browser, "SELECT ?s WHERE { ?s ?p }")
        box = wait(browser).until(
            ready.visibility_of_element_located((By.CSS_SELECTOR, ".yasr .errorResult"))
        )
        assert "400" in box.text and "1:" in box.text
        screenshot(browser, "issue14-query-error-desktop")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
