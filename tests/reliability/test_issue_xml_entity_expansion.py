"""Regression: an RDF/XML upload of 1 KB with nested entities made pyoxigraph build 3 GB.

Found by this suite: ``ox.parse`` expands internal entities without a limit (8 levels took 2.2 s and
915 MiB, 9 levels ran out of memory), and Graph Store writes parse in the server's own process.
service.guard.entity_refusal now measures the expansion before anything is parsed.
"""

from __future__ import annotations

from rlskg.service.guard.xml_entities import entity_refusal
from tests.support.rdfxml import document, laughs


def test_entity_refusal_measures_nested_expansion_without_expanding() -> None:
    assert entity_refusal(laughs(3), 10_000) is None
    reason = entity_refusal(laughs(30), 10_000_000)  # 3 * 10**30 bytes: counted, not built
    assert reason is not None and "expand" in reason


def test_entity_refusal_refuses_external_parameter_and_recursive_entities() -> None:
    assert entity_refusal(document('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;"), 10**9)
    assert entity_refusal(document('<!ENTITY % x "y">', "z"), 10**9)
    assert entity_refusal(document('<!ENTITY a "&a;">', "&a;"), 10**9)


def test_entity_refusal_ignores_documents_without_entities() -> None:
    assert entity_refusal(b"<rdf:RDF/> &amp; &lt;", 0) is None
