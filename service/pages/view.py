"""What a resource page shows, read from the triples of its description (service/pages/queries).

Pure functions over pyoxigraph triples: no request, no store. Labels stay plain strings; the
templates escape them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from rlskg.ontology.namespaces import BASE, PREFIXES
from rlskg.service.pages.describe import GENID, href, local_path, obo_curie
from rlskg.service.pages.xref import xref_url

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
OIO = PREFIXES["oboInOwl"]
RLS = PREFIXES["rls"]
CITO = PREFIXES["cito"]
DCTERMS = PREFIXES["dcterms"]
LABEL, TYPE, SUBCLASS = RDFS + "label", RDF + "type", RDFS + "subClassOf"
DEFINITION = PREFIXES["obo"] + "IAO_0000115"
SYNONYMS = {OIO + f"has{kind}Synonym": kind.lower() for kind in ("Exact", "Related", "Broad", "Narrow")}
XREF = OIO + "hasDbXref"
DEPRECATED = OWL + "deprecated"
REPLACED_BY = PREFIXES["obo"] + "IAO_0100001"  # term replaced by
ASSOCIATION = RLS + "Association"
CITES = (CITO + "citesAsEvidence", CITO + "cites")
# Shown in their own sections, so left out of the relation lists (an association's figures are in
# its claims table).
SHOWN_APART = {
    LABEL,
    DEFINITION,
    XREF,
    TYPE,
    SUBCLASS,
    OWL + "equivalentClass",
    *SYNONYMS,
    *CITES,
    RLS + "hasFigure",
    DEPRECATED,
    REPLACED_BY,
}
# Names for the relations of other vocabularies that the data uses without a label of its own.
RELATION_NAMES = {
    DCTERMS + "language": "language",
    DCTERMS + "publisher": "publisher",
    DCTERMS + "creator": "author",
    DCTERMS + "title": "title",
    DCTERMS + "date": "date",
    DCTERMS + "source": "source",
    DCTERMS + "license": "licence",
    DCTERMS + "description": "description",
    PREFIXES["schema"] + "about": "about",
    PREFIXES["schema"] + "isPartOf": "published in",
    PREFIXES["schema"] + "reviewedBy": "reviewed by",
    PREFIXES["schema"] + "lastReviewed": "last reviewed",
    PREFIXES["schema"] + "url": "web address",
    PREFIXES["obo"] + "IAO_0000119": "definition source",
    PREFIXES["obo"] + "IAO_0000116": "editor note",
    PREFIXES["prov"] + "wasQuotedFrom": "quoted from",
    PREFIXES["prov"] + "wasAttributedTo": "attributed to",
    PREFIXES["bibo"] + "doi": "DOI",
    PREFIXES["foaf"] + "name": "name",
    RDFS + "comment": "comment",
    RDFS + "seeAlso": "see also",
    OWL + "sameAs": "same as",
    OWL + "disjointWith": "disjoint with",
    OWL + "inverseOf": "inverse of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
}
# The OBO ontologies whose terms the graph reuses (import modules, mappings), by their ID space.
ONTOLOGY_NAMES = {
    "BFO": "the Basic Formal Ontology (BFO)",
    "CHEBI": "ChEBI",
    "DOID": "the Human Disease Ontology (DOID)",
    "ECO": "the Evidence and Conclusion Ontology (ECO)",
    "GO": "the Gene Ontology (GO)",
    "HP": "the Human Phenotype Ontology (HPO)",
    "IAO": "the Information Artifact Ontology (IAO)",
    "MONDO": "the Mondo Disease Ontology (MONDO)",
    "NCIT": "the NCI Thesaurus (NCIT)",
    "OGMS": "the Ontology for General Medical Science (OGMS)",
    "OMO": "the OBO Metadata Ontology (OMO)",
    "RO": "the Relation Ontology (RO)",
    "UBERON": "Uberon",
}
# Incoming links that are part of another node's structure, not a relation of the resource.
STRUCTURAL_IN = {
    RLS + "subject",
    RLS + "object",
    RLS + "source",
    SUBCLASS,
    RDF + "first",
    OWL + "someValuesFrom",
}


@dataclass(frozen=True)
class Link:
    label: str
    href: str | None = None  # None: shown as plain text
    iri: str | None = None


@dataclass(frozen=True)
class Figure:
    measure: Link | None
    value: str
    unit: Link | None
    population: Link | None
    stated_as: str | None


@dataclass
class Row:
    """One association node, as a table row."""

    node: Link
    subject: Link
    predicate: Link
    object: Link
    strength: Link | None
    source: Link | None
    section: str
    population: Link | None
    negated: bool
    figures: list[Figure] = field(default_factory=list)
    context: list[Link] = field(default_factory=list)
    comment: str = ""
    hedge: str = ""  # the source's hedging word, for a claim put forward as possible
    frequency: Link | None = None

    @property
    def strength_name(self) -> str:
        """The strength's local name: Established, Associated, Hypothesised, Rejected (or "")."""
        iri = self.strength.iri if self.strength is not None else None
        return (iri or "").rsplit("/", 1)[-1]

    @property
    def sentence(self) -> str:
        """The claim in words: "multiple sclerosis: risk factor for restless legs syndrome"."""
        verb = ("rejected: " if self.strength_name == "Rejected" else "not ") if self.denied else ""
        return f"{self.subject.label}: {verb}{self.predicate.label} {self.object.label}"

    @property
    def denied(self) -> bool:
        """Whether the source says the relation does not hold (negated) or rejects it: such a claim
        is never shown as the relation itself."""
        return self.negated or self.strength_name == "Rejected"


@dataclass(frozen=True)
class Work:
    link: Link
    title: str
    date: str
    venue: str
    doi: str | None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


@dataclass
class Page:
    iri: str
    label: str
    definitions: list[str]
    synonyms: list[tuple[str, str]]
    types: list[Link]
    xrefs: list[Link]
    out: list[tuple[Link, list[Link]]]
    incoming: list[tuple[Link, list[Link]]]
    restrictions: list[tuple[Link, str, Link]]
    rows: list[Row]
    works: list[Work]
    parents: list[Link] = field(default_factory=list)
    children: list[Link] = field(default_factory=list)
    claim: Row | None = None  # the page's own association, when it is one
    original: str | None = None  # a source's original web page, when the data gives it
    obsolete: bool = False  # owl:deprecated: kept so that its IRI still resolves, not to be used
    replaced_by: list[Link] = field(default_factory=list)  # IAO:0100001 'term replaced by'

    @property
    def curie(self) -> str | None:
        """``CHEBI:18248`` for a term of an OBO ontology that the graph reuses (its IRI is the
        PURL, its page is here), None for the project's own IRIs."""
        return obo_curie(self.iri)

    @property
    def id_space(self) -> str:
        """The ID space of a reused OBO term (``CHEBI``), or ""."""
        return (self.curie or "").split(":", 1)[0]

    @property
    def reference_ontology(self) -> str:
        """The OBO ontology a reused term comes from, in words (``ChEBI``), or ""."""
        return ONTOLOGY_NAMES.get(self.id_space, self.id_space)

    @property
    def is_source(self) -> bool:
        return any(t.iri == RLS + "Source" for t in self.types)

    @property
    def is_blank(self) -> bool:
        """A skolem IRI: a blank node of the sources or the ontology, named by the build."""
        return self.iri.startswith(GENID)

    @property
    def is_class(self) -> bool:
        return any(t.iri == OWL + "Class" for t in self.types)

    def rows_by_relation(self) -> list[tuple[str, list[Row]]]:
        """The claims grouped by relation ("causes", "not: causes", ...), the largest group first."""
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            groups[f"not: {row.predicate.label}" if row.denied else row.predicate.label].append(row)
        return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))

    def rows_by_section(self) -> list[tuple[str, list[Row]]]:
        sections: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            sections[row.section or "(no section given)"].append(row)
        return sorted(sections.items())


class DescriptionIndex:
    """The triples of one description, indexed by subject, with a label for every term."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.by_subject: dict[str, list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(
            list
        )
        self.by_object: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.labels: dict[str, str] = {}
        titles: dict[str, str] = {}
        for t in triples:
            if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
                continue  # RDF-star: none in our data
            subject, predicate, obj = t.subject.value, t.predicate.value, t.object
            self.by_subject[subject].append((predicate, obj))
            if isinstance(obj, ox.NamedNode):
                self.by_object[obj.value].append((predicate, subject))
            if predicate == LABEL and isinstance(obj, ox.Literal):
                if subject not in self.labels or obj.language == "en":
                    self.labels[subject] = obj.value
            elif predicate == DCTERMS + "title" and isinstance(obj, ox.Literal):
                titles.setdefault(subject, obj.value)
        for subject, title in titles.items():  # a source or a work has a title and no label
            self.labels.setdefault(subject, title)

    def values(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return [o for p, o in self.by_subject.get(subject, ()) if p == predicate]

    def first(self, subject: str, predicate: str) -> str:
        found = self.values(subject, predicate)
        return found[0].value if found else ""

    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def link(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | str) -> Link:
        if isinstance(term, ox.Literal):
            return Link(term.value)
        iri = term if isinstance(term, str) else term.value
        if isinstance(term, ox.BlankNode):
            return Link("(anonymous class)")
        if iri.startswith(GENID):  # a skolem IRI: its page says what it stands for
            return Link("(anonymous class)", "/" + iri.removeprefix(BASE), iri)
        return Link(self.label(iri), href(iri), iri)

    def relation(self, iri: str) -> Link:
        """A relation (a predicate): its label, else a known name, else its local name in words
        (``rls:requires`` -> "requires"), never a CURIE beside labelled relations."""
        if iri in self.labels:
            return self.link(iri)
        name = RELATION_NAMES.get(iri)
        if name is None:
            local = re.split(r"[/#]", iri)[-1]
            name = (
                re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()
                if local.isidentifier()
                else self.label(iri)
            )
        return Link(name, href(iri), iri)

    def maybe_link(self, subject: str, predicate: str) -> Link | None:
        found = self.values(subject, predicate)
        return self.link(found[0]) if found else None


def _number(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:g}"


def _figure(graph: DescriptionIndex, node: str) -> Figure:
    low, high = _number(graph.first(node, RLS + "minValue")), _number(graph.first(node, RLS + "maxValue"))
    # A range is printed with an en dash.
    value = low if low == high or not high else (high if not low else f"{low}\u2013{high}")
    return Figure(
        graph.maybe_link(node, RLS + "measure"),
        value,
        graph.maybe_link(node, RLS + "unit"),
        graph.maybe_link(node, RLS + "population"),
        graph.first(node, RLS + "statedAs") or None,
    )


def row_of(graph: DescriptionIndex, node: str) -> Row:
    """The association ``node`` as a table row."""

    def need(predicate: str) -> Link:
        return graph.maybe_link(node, predicate) or Link("?")

    return Row(
        node=Link("claim", local_path(node), node),
        subject=need(RLS + "subject"),
        predicate=need(RLS + "predicate"),
        object=need(RLS + "object"),
        strength=graph.maybe_link(node, RLS + "claimStrength"),
        source=graph.maybe_link(node, RLS + "source"),
        section=graph.first(node, RLS + "sourceSection"),
        population=graph.maybe_link(node, RLS + "population"),
        negated=graph.first(node, RLS + "negated") == "true",
        figures=[_figure(graph, f.value) for f in graph.values(node, RLS + "hasFigure")],
        context=[graph.link(c) for c in graph.values(node, RLS + "context")],
        comment=graph.first(node, RDFS + "comment"),
        hedge=graph.first(node, RLS + "hedge"),
        frequency=graph.maybe_link(node, RLS + "frequency"),
    )


def _grouped(pairs: list[tuple[str, Link]], graph: DescriptionIndex) -> list[tuple[Link, list[Link]]]:
    groups: dict[str, list[Link]] = defaultdict(list)
    for predicate, value in pairs:
        if value not in groups[predicate]:
            groups[predicate].append(value)
    ordered = sorted(groups.items(), key=lambda item: graph.relation(item[0]).label.lower())
    return [(graph.relation(p), sorted(values, key=lambda v: v.label.lower())) for p, values in ordered]


def _work(graph: DescriptionIndex, iri: str) -> Work:
    doi = graph.first(iri, PREFIXES["bibo"] + "doi") or None
    venue = graph.first(iri, PREFIXES["schema"] + "isPartOf")
    title = graph.first(iri, DCTERMS + "title")
    return Work(graph.link(iri), title, graph.first(iri, DCTERMS + "date"), venue, doi)


def _restrictions(graph: DescriptionIndex, iri: str) -> list[tuple[Link, str, Link]]:
    """(property, "some" / "all" / "value", filler) of the class's restrictions, each once (the
    asserted and the inferred graph name the same restriction with different skolem IRIs)."""
    kinds = {"someValuesFrom": "some", "allValuesFrom": "only", "hasValue": "value"}
    found: list[tuple[Link, str, Link]] = []
    for predicate in (SUBCLASS, OWL + "equivalentClass"):
        for node in graph.values(iri, predicate):
            on = graph.values(node.value, OWL + "onProperty")
            for kind, word in kinds.items():
                for filler in graph.values(node.value, OWL + kind):
                    restriction = (graph.link(on[0]), word, graph.link(filler)) if on else None
                    if restriction is not None and restriction not in found:
                        found.append(restriction)
    return found


def build_page(iri: str, triples: list[ox.Triple]) -> Page:
    """The page of ``iri`` from the triples of its description (resource-describe.rq)."""
    graph = DescriptionIndex(triples)
    own = graph.by_subject.get(iri, [])
    blank = iri.startswith(GENID)  # its page shows the structure it is part of, links and all
    definitions = [o.value for p, o in own if p == DEFINITION]
    synonyms = sorted((SYNONYMS[p], o.value) for p, o in own if p in SYNONYMS)
    xrefs = sorted((Link(o.value, xref_url(o.value)) for p, o in own if p == XREF), key=lambda x: x.label)
    out = [
        (p, graph.link(o))
        for p, o in own
        if p not in SHOWN_APART and (blank or not (isinstance(o, ox.NamedNode) and o.value.startswith(GENID)))
    ]
    incoming = [
        (p, graph.link(s))
        for p, s in graph.by_object.get(iri, [])
        if blank or (p not in STRUCTURAL_IN and not s.startswith(GENID) and s != iri)
    ]
    rows = [
        row_of(graph, subject)
        for subject, pairs in graph.by_subject.items()
        if any(p == TYPE and o.value == ASSOCIATION for p, o in pairs)
    ]
    rows.sort(
        key=lambda r: (r.predicate.label, r.subject.label, r.object.label, r.source.label if r.source else "")
    )
    title = graph.labels.get(iri) or graph.first(iri, DCTERMS + "title") or graph.label(iri)
    if blank:
        title = "anonymous node"
    claim = next((r for r in rows if r.node.iri == iri), None)
    # the web address of a source's original page, when the data has one (it has none yet)
    original = graph.values(iri, PREFIXES["schema"] + "url") + graph.values(iri, PREFIXES["foaf"] + "page")
    if claim is not None and iri not in graph.labels:  # an association: say the claim, not its slug
        title = claim.sentence
    replaced_by = sorted({graph.link(o) for p, o in own if p == REPLACED_BY}, key=lambda x: x.label.lower())
    return Page(
        iri=iri,
        label=title,
        definitions=definitions,
        synonyms=synonyms,
        types=sorted({graph.link(o) for p, o in own if p == TYPE}, key=lambda t: t.label),
        xrefs=xrefs,
        out=_grouped(out, graph),
        incoming=_grouped(incoming, graph),
        restrictions=_restrictions(graph, iri),
        rows=rows,
        works=[_work(graph, o.value) for p, o in own if p in CITES],
        claim=claim,
        original=next((h for o in original if (h := href(o.value)) is not None), None),
        obsolete=any(p == DEPRECATED and o.value in ("true", "1") for p, o in own),
        replaced_by=replaced_by,
    )


def add_hierarchy(page: Page, triples: list[ox.Triple]) -> None:
    """Set the direct parents and children of a class page from class-hierarchy.rq's triples."""
    graph = DescriptionIndex(triples)
    below: dict[str, set[str]] = defaultdict(set)  # class -> its superclasses (named, not itself)
    for t in triples:
        sub, sup = t.subject, t.object
        if isinstance(sub, ox.Triple) or not isinstance(sup, ox.NamedNode) or t.predicate.value != SUBCLASS:
            continue
        if sub != sup and not sup.value.startswith(GENID):
            below[sub.value].add(sup.value)
    ups = below.get(page.iri, set()) - {OWL + "Thing"}
    downs = {s for s, supers in below.items() if page.iri in supers and not s.startswith(GENID)}

    def strictly_below(a: str, b: str) -> bool:
        return b in below.get(a, set()) and a not in below.get(b, set())

    parents = [p for p in ups if not any(strictly_below(q, p) for q in ups if q != p)]
    children = [c for c in downs if not any(strictly_below(c, d) for d in downs if d != c)]
    page.parents = sorted((graph.link(p) for p in parents), key=lambda x: x.label.lower())
    page.children = sorted((graph.link(c) for c in children), key=lambda x: x.label.lower())
