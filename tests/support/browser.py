"""What a browser sends (for the page tests' test client) and what the browser tests share: the
running site and screenshots under tests/artifacts/."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.data import TESTS

if TYPE_CHECKING:
    from selenium import webdriver

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # a browser's Accept
ARTIFACTS = TESTS / "artifacts"


@dataclass(frozen=True)
class Site:
    url: str
    process: subprocess.Popen[bytes]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save a full-window screenshot under tests/artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), path
    return path
