"""SPARQL JSON results as a text table, for ``rlskg query``."""

from __future__ import annotations

import json

from rlskg.ontology.namespaces import PREFIXES


def _term(cell: dict[str, str]) -> str:
    """A result cell as a person reads it: prefixed names, quoted literals, bare numbers."""
    value = cell["value"]
    if cell["type"] == "uri":
        for prefix, namespace in PREFIXES.items():
            if value.startswith(namespace) and value != namespace:
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"
    if cell["type"] == "bnode":
        return f"_:{value}"
    if "xml:lang" in cell:
        return f'"{value}"@{cell["xml:lang"]}'
    return value if "datatype" in cell else f'"{value}"'


def render_table(body: bytes) -> str:
    """An aligned table with a row count (or ``true``/``false`` for ASK).

    >>> body = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"7"}}]}}'
    >>> print(render_table(body))
    n
    ---
    "7"
    (1 row)
    """
    results = json.loads(body)
    if "boolean" in results:
        return "true" if results["boolean"] else "false"
    names = results["head"]["vars"]
    rows = [[_term(b[n]) if n in b else "" for n in names] for b in results["results"]["bindings"]]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
        *("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows),
    ]
    return "\n".join([*lines, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])
