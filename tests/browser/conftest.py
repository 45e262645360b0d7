"""The real server (`rlskg serve` over a fresh build) and headless Debian Chromium, for browser tests.

Selenium is always given the driver and the browser binary, so Selenium Manager never downloads
anything; scripts/system-deps installs both (`make test` runs it), so these tests never skip.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.support.browser import Site
from tests.support.server import ROOT, free_port, start_process, stop_process

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)


@pytest.fixture(scope="session")
def site(built_dataset: Path) -> Iterator[Site]:
    """`rlskg serve` on a free loopback port over the session's build (in a temp folder)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RLSKG_")} | {"RLSKG_ACCESS_LOG": "false"}
    command = [sys.executable, "-m", "rlskg", "serve", "--out", str(built_dataset), "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    process, _ = start_process(
        [*command, "--workers", "1", "--threads", "4"],
        url + "/health",
        60,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield Site(url, process)
    finally:
        stop_process(process, 15)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        with contextlib.suppress(Exception):
            driver.quit()


@pytest.fixture
def console(browser: webdriver.Chrome) -> Iterator[list[dict[str, object]]]:
    """The browser console of one test; the test fails if it logged an error."""
    browser.get_log("browser")  # type: ignore[no-untyped-call]  # drop what earlier tests left
    entries: list[dict[str, object]] = []
    yield entries
    entries.extend(browser.get_log("browser"))  # type: ignore[no-untyped-call]
    errors = [e for e in entries if e.get("level") == "SEVERE"]
    assert errors == [], f"browser console errors: {errors}"
