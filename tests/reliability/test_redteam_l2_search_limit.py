"""Red team L2: ``/api/search?limit=²`` answered 500: ``str.isdigit`` takes superscripts, which
``int`` refuses; and ``int`` read Arabic-Indic and fullwidth digits as numbers. A limit is ASCII
digits, else 400."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

NOT_ASCII_DIGITS = [
    "\u00b2",  # superscript two
    "\u00b9\u2070",  # superscripts one, zero
    "\u0663",  # Arabic-Indic three
    "\u0661\u0660",  # Arabic-Indic one, zero
    "\u06f5",  # extended Arabic-Indic (Persian) five
    "\uff13",  # fullwidth three
    "\uff11\uff10",  # fullwidth one, zero
    "\u0967",  # Devanagari one
    "\u2463",  # circled four
    "9" * 5000,  # more digits than int() reads
]


@pytest.mark.parametrize("limit", NOT_ASCII_DIGITS)
def test_a_limit_of_other_digits_is_a_400(client: FlaskClient, limit: str) -> None:
    response = client.get("/api/search", query_string={"q": "iron", "limit": limit})
    assert response.status_code == 400, (limit[:10], response.status_code)
    assert "limit" in response.get_data(as_text=True)


def test_an_ascii_limit_still_works(client: FlaskClient) -> None:
    assert client.get("/api/search?q=iron&limit=3").status_code == 200
    assert client.get("/api/search?q=iron&limit=0").status_code == 400
