"""The pages and the query UI in headless Chromium, against the real server."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.wait import WebDriverWait

from tests.support.browser import Site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.server]


def wait(driver: webdriver.Chrome, seconds: float = 20) -> WebDriverWait[webdriver.Chrome]:
    return WebDriverWait(driver, seconds)


def test_browse_home_to_rls_to_source(site: Site, browser: webdriver.Chrome, console: list[object]) -> None:
    browser.get(site.url + "/")
    assert "Restless Legs Syndrome" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "figure.diagram svg a")  # the diagram links out
    screenshot(browser, "home")

    browser.find_element(By.CSS_SELECTOR, "p.lead a").click()  # 303 -> /doc/ontology/...
    wait(browser).until(ready.url_contains("/doc/ontology/RestlessLegsSyndrome"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "restless legs syndrome"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.claims tbody tr")
    assert len(rows) > 100
    assert "Willis-Ekbom disease" in browser.find_element(By.CSS_SELECTOR, "ul.synonyms").text
    assert browser.find_element(By.CSS_SELECTOR, "a[href='http://purl.obolibrary.org/obo/MONDO_0005391']")
    screenshot(browser, "rls")

    browser.find_element(By.CSS_SELECTOR, "details.claims-group summary").click()  # claims grouped, closed
    source = browser.find_element(By.CSS_SELECTOR, "details[open] table.claims a[href='/id/source/verywell']")
    source.click()
    wait(browser).until(ready.url_contains("/doc/id/source/verywell"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Verywell Health page on the causes of RLS"
    assert "Willis-Ekbom Disease, Causes" in browser.find_element(By.TAG_NAME, "body").text  # its title
    assert "Verywell Health" in browser.find_element(By.CSS_SELECTOR, "dl.relations").text
    sections = browser.find_elements(By.CSS_SELECTOR, "article h3")
    assert len(sections) > 5  # claims grouped by section
    assert browser.find_elements(By.CSS_SELECTOR, "ul.works a[href^='https://doi.org/10.']")
    screenshot(browser, "source-verywell")


def test_search_box_suggests_labels(site: Site, browser: webdriver.Chrome, console: list[object]) -> None:
    browser.get(site.url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("iron")
    wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "ul.suggestions li a")))
    links = browser.find_elements(By.CSS_SELECTOR, "ul.suggestions li a")
    labels = [a.text for a in links]
    assert labels[0] == "iron atom" and "iron deficiency" in labels  # ChEBI's, which replaced rls:Iron
    assert links[0].get_attribute("href") == site.url + "/doc/obo/CHEBI_18248"
    screenshot(browser, "search-suggestions")
    browser.find_element(By.LINK_TEXT, "iron deficiency").click()
    wait(browser).until(ready.url_contains("/doc/ontology/IronDeficiency"))


def test_query_ui_runs_an_example(site: Site, browser: webdriver.Chrome, console: list[object]) -> None:
    browser.get(site.url + "/query")
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    browser.find_element(By.CSS_SELECTOR, "a[data-example='01-rls-names']").click()
    editor = browser.execute_script("return window.rlskgYasgui.getTab().getYasqe().getValue()")
    assert "SELECT ?kind ?name" in editor
    run = [b for b in browser.find_elements(By.CSS_SELECTOR, "button.yasqe_queryButton") if b.is_displayed()]
    run[0].click()
    cells = wait(browser).until(
        ready.presence_of_all_elements_located((By.CSS_SELECTOR, ".yasr table tbody tr td"))
    )
    text = " ".join(c.text for c in cells)
    assert "Willis-Ekbom disease" in text and "restless legs syndrome" in text
    assert browser.find_elements(By.CSS_SELECTOR, ".yasr .yasr_downloadIcon, .yasr [title*='ownload']")
    screenshot(browser, "query-ui")
