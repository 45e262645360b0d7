"""The real server (`rlskg serve` over a fresh build) and headless Debian Chromium, for browser tests.

Selenium is always given the driver and the browser binary, so Selenium Manager never downloads
anything; .ci/system-deps installs both (`make test` runs it), so these tests never skip.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
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


@dataclass(frozen=True)
class Site:
    url: str
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def site(built_dataset: Path) -> Iterator[Site]:
    """`rlskg serve` on a free loopback port over the session's build (in a temp folder)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RLSKG_")} | {"RLSKG_ACCESS_LOG": "false"}
    command = [sys.executable, "-m", "rlskg", "serve", "--out", str(built_dataset), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "1", "--threads", "4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited with {process.returncode}")
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the server did not answer /health within 60 s") from None
                time.sleep(0.1)
        yield Site(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save a full-window screenshot under tests/artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), path
    return path
