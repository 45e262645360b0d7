"""Hostile RDF/XML: documents with a DOCTYPE of one's choosing, and nested entities that expand
ten times per level ("billion laughs")."""

from __future__ import annotations


def document(doctype: str, value: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [{doctype}]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
  <rdf:Description rdf:about="http://ex/a"><ex:p>{value}</ex:p></rdf:Description>
</rdf:RDF>""".encode()


def laughs(levels: int) -> bytes:
    """Nested entities, each ten of the one before: 3 * 10**levels bytes from a 1 KB body."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return document("".join(entities), f"&lol{levels};")
