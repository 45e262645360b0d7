"""The benchmarks' HTTP client: one request with its status, body and time (never an exception),
and whether an answer is SPARQL JSON results."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

ACCEPT = "application/sparql-results+json"


@dataclass
class Fetched:
    status: int  # 0: no answer (refused, reset, timed out)
    body: bytes
    content_type: str
    seconds: float
    error: str = ""


def fetch(
    url: str,
    timeout: float,
    accept: str = ACCEPT,
    method: str = "GET",
    data: bytes | None = None,
    content_type: str | None = None,
    extra: dict[str, str] | None = None,
) -> Fetched:
    headers = {"Accept": accept, **(extra or {})}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return Fetched(
                response.status, body, response.headers.get("Content-Type", ""), time.perf_counter() - started
            )
    except urllib.error.HTTPError as error:
        body = error.read()
        return Fetched(
            error.code,
            body,
            error.headers.get("Content-Type", ""),
            time.perf_counter() - started,
            f"HTTP {error.code}: {body[:160].decode(errors='replace').strip()}",
        )
    except (OSError, urllib.error.URLError) as error:  # refused, reset, timed out
        return Fetched(0, b"", "", time.perf_counter() - started, f"{type(error).__name__}: {error}")


def check_answer(got: Fetched) -> tuple[int | None, str]:
    """(rows, "") for 200 with valid SPARQL JSON results, else (None, why)."""
    if got.error:
        return None, got.error
    if got.status != 200:
        return None, f"HTTP {got.status}"
    if "json" not in got.content_type:
        return None, f"Content-Type {got.content_type!r}"
    try:
        answer = json.loads(got.body)
        if "boolean" in answer:
            return 1, ""
        return len(answer["results"]["bindings"]), ""
    except (ValueError, KeyError, TypeError) as error:
        return None, f"not SPARQL JSON results ({type(error).__name__}: {error})"


def is_timeout(why: str) -> bool:
    """Whether a failure (Fetched.error, or check_answer's why) is a request that timed out."""
    return why.startswith(("TimeoutError", "URLError", "timeout"))
