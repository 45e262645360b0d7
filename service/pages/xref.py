"""Cross-references (oboInOwl:hasDbXref CURIEs) linked to the registry that owns each prefix.

Each pattern is the registry's own resolvable address for an identifier (the same ones the
Bioregistry lists as each prefix's provider): OBO Foundry PURLs for OBO ontologies (NCIT is one),
EFO's own PURL, the NLM MeSH Browser, SNOMED International's URI scheme, the UMLS Terminology
Services, DrugBank and OMIM. ICD-10-CM has no official per-code address, so it stays plain text;
so does any prefix not listed here.

>>> xref_url("MONDO:0005391"), xref_url("MESH:D012148"), xref_url("ICD10CM:G25.81")
('http://purl.obolibrary.org/obo/MONDO_0005391', 'https://meshb.nlm.nih.gov/record/ui?ui=D012148', None)
"""

from __future__ import annotations

import re
from urllib.parse import quote

OBO_PURL = "http://purl.obolibrary.org/obo/{prefix}_{id}"
PATTERNS: dict[str, str] = {
    "MONDO": OBO_PURL,
    "DOID": OBO_PURL,
    "HP": OBO_PURL,
    "UBERON": OBO_PURL,
    "CHEBI": OBO_PURL,
    "NCIT": OBO_PURL,
    "EFO": "http://www.ebi.ac.uk/efo/EFO_{id}",
    "MESH": "https://meshb.nlm.nih.gov/record/ui?ui={id}",
    "SCTID": "http://snomed.info/id/{id}",
    "UMLS": "https://uts.nlm.nih.gov/uts/umls/concept/{id}",
    "DRUGBANK": "https://go.drugbank.com/drugs/{id}",
    "OMIM": "https://omim.org/entry/{id}",
}
_ID = re.compile(r"[A-Za-z0-9._-]+")


def xref_url(curie: str) -> str | None:
    """The registry page of a CURIE, or None when it cannot be linked."""
    prefix, _, local = curie.partition(":")
    pattern = PATTERNS.get(prefix.upper())
    if pattern is None or not _ID.fullmatch(local):
        return None
    return pattern.format(prefix=prefix.upper(), id=quote(local))
