"""Red team C1: no regular expression that reads request data backtracks.

Before: the query-form pattern nested ``\\s+`` inside ``(...)*``, so a query of 26 spaces took 8 s
of a worker's GIL, 40 spaces about 14 hours; the XML entity pattern took 3 s on 72 KB. Now each
scan is linear. Every text below is 1 MB of a repeated piece chosen to make a backtracking or
re-scanning pattern slow (runs of what starts a token, unclosed strings, IRIs and comments,
prologue keywords, glued keywords, unary operators, escapes), with a tail that makes a match fail.

The texts are scanned in a child process with a deadline, so that a pattern that does backtrack
fails this test instead of hanging it. The bound per 1 MB text is generous (a linear scan takes
0.01-1 s here, the densest texts the longest; a quadratic one would take hours).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from flask.testing import FlaskClient

SIZE = 1_000_000
SECONDS_PER_TEXT = 5.0
# The repeated pieces: each starts a token class, or is a prefix of a longer one.
PIECES = [
    " ",
    "\t\r\n",
    "#",
    "#\n",
    "<",
    "<a",
    "<a ",
    "'",
    "'''",
    "'''\\'",
    '"',
    '"""\\"',
    "\\",
    "\\u",
    "\\u0022",
    "?",
    "@a-",
    "a:",
    ".",
    "PREFIX ",
    "PREFIX a: <x> ",
    "BASE ",
    "BASE <x> ",
    "SERVICE ",
    "SERVICE:",
    "SERVICE SILENT ",
    "LOAD ",
    "FROM ",
    "!",
    "! ",
    "!#\n",
    "- ",
    "+",
    "(",
    "(<",
    "{[",
    "?a<?b",
]
ENTITY_PIECES = ["<!ENTITY a SYSTEM ", "<!ENTITY ", "<!ENTITY a '", '<!ENTITY a "x" ', "&a", "&"]

SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from rlskg.service.guard.lexical import scan
    from rlskg.service.guard.xml_entities import entity_refusal
    size, pieces, entity_pieces = json.loads(sys.stdin.read())
    timings = {}
    for piece in pieces:
        for prefix in ("", "SELECT * WHERE { "):
            text = prefix + piece * (size // len(piece)) + "x"
            started = time.perf_counter()
            scan(text, depth_limit=128)
            timings[prefix + piece] = time.perf_counter() - started
    for piece in entity_pieces:
        data = (piece * (size // len(piece))).encode()
        started = time.perf_counter()
        entity_refusal(data, 10_000_000)
        timings["xml " + piece] = time.perf_counter() - started
    print(json.dumps(timings))
    """
)


def test_every_scan_of_a_1_mb_adversarial_text_is_linear() -> None:
    cases = len(PIECES) * 2 + len(ENTITY_PIECES)
    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps([SIZE, PIECES, ENTITY_PIECES]),
        capture_output=True,
        text=True,
        timeout=SECONDS_PER_TEXT * cases + 30,
    )
    assert finished.returncode == 0, finished.stderr
    timings: dict[str, float] = json.loads(finished.stdout)
    assert len(timings) == cases
    slow = {piece: round(seconds, 2) for piece, seconds in timings.items() if seconds > SECONDS_PER_TEXT}
    assert slow == {}


@pytest.mark.parametrize("piece", [" ", "#\n", "PREFIX a: <x> ", "!"])
def test_a_query_of_a_repeated_piece_answers_400_at_once(client: FlaskClient, piece: str) -> None:
    text = piece * ((SIZE - 100) // len(piece)) + "x"  # just under MAX_QUERY_BYTES
    response = client.post("/sparql", data=text, content_type="application/sparql-query")
    assert response.status_code == 400, response.data[:200]
