"""``rls.obo`` (OBO 1.4) and ``rls.json`` (OBO Graphs JSON), made in Python from ``rls-simple``.

Neither ROBOT nor the OWL API is needed (the service makes the release itself when it has no
build, and may have no JDK). The simple product is read once into :class:`OboTerm` records, then
written twice:

- OBO through fastobo's syntax tree, so that the text is what fastobo (and so pronto) parses. The
  header declares an ``idspace`` for each prefix used, so identifiers are CURIEs
  (``rls:RestlessLegsSyndrome``, ``MONDO:0005391``), not bare IRIs; ``data-version`` is
  ``releases/<date>`` as OBO ontologies write it, and the product's versionIRI is a header
  ``property_value: owl:versionIRI``.
- OBO Graphs JSON by hand, after the schema (github.com/geneontology/obographs): fastobo's own
  OBO-to-graph conversion drops synonyms and property values. Node ids are IRIs, as the schema
  wants; xrefs stay CURIEs; ``meta.version`` is the product's versionIRI.

The mapping follows the OBO 1.4 guide's OWL mapping (what the OWL API writes): ``rdfs:label`` is
``name``, ``obo:IAO_0000115`` is ``def`` (its ``oboInOwl:hasDbXref`` axiom annotations are the
definition's xrefs), ``oboInOwl:has*Synonym`` are synonyms with their scope, type and xrefs,
``oboInOwl:hasDbXref`` is ``xref``, ``rdfs:comment`` is ``comment``, ``oboInOwl:inSubset`` is
``subset``, ``owl:deprecated`` is ``is_obsolete``, ``obo:IAO_0100001`` is ``replaced_by``,
``oboInOwl:consider`` is ``consider``; any other annotation is a ``property_value``, and the
annotation properties so used are ``[Typedef]`` frames marked ``is_metadata_tag``. Frames and
clauses are sorted, so the same ontology gives the same bytes.
"""

import json
import re
from dataclasses import dataclass, field

import fastobo
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from rlskg.ontology.namespaces import IAO_DEFINITION, OBO, OBOINOWL, PREFIXES, RLS, VANN
from rlskg.ontology.products import SIMPLE, named_classes, version_iri
from rlskg.ontology.source import ontology_iri

OBO_NAME = "rls"  # rls.obo, rls.json
REPLACED_BY = OBO.IAO_0100001
SCOPES = {
    OBOINOWL.hasExactSynonym: "EXACT",
    OBOINOWL.hasRelatedSynonym: "RELATED",
    OBOINOWL.hasBroadSynonym: "BROAD",
    OBOINOWL.hasNarrowSynonym: "NARROW",
}
# Annotations that become OBO tags (the rest become property_value).
MAPPED = frozenset(
    {
        RDF.type,
        RDFS.subClassOf,
        RDFS.label,
        RDFS.comment,
        IAO_DEFINITION,
        OBOINOWL.hasDbXref,
        OBOINOWL.inSubset,
        OBOINOWL.consider,
        OBOINOWL.id,
        OWL.deprecated,
        REPLACED_BY,
        *SCOPES,
    }
)
_OBO_PURL = re.compile(r"^http://purl\.obolibrary\.org/obo/([A-Za-z][A-Za-z0-9]*)_([^/#]+)$")
_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# Prefixes that stand for data, not for vocabulary: their IRIs are written whole.
_NOT_IDSPACES = frozenset({"obo", "assoc", "pop", "fig", "agent", "graph", "work"})
# OBO's built-in prefix: used, never declared.
_BUILTIN_IDSPACES = frozenset({"xsd"})


@dataclass
class Synonym:
    text: str
    scope: str
    type: str | None
    xrefs: list[str]


@dataclass
class PropertyValue:
    property: str  # an IRI
    value: str
    datatype: str | None  # None: the value is an IRI


@dataclass
class OboTerm:
    """One class (or, with ``is_property``, one annotation property) as OBO sees it."""

    iri: str
    name: str | None = None
    definition: str | None = None
    definition_xrefs: list[str] = field(default_factory=list)
    comment: str | None = None
    subsets: list[str] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    is_a: list[str] = field(default_factory=list)
    values: list[PropertyValue] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)
    is_property: bool = False


@dataclass
class OboDocument:
    ontology: str  # the ontology IRI
    prefix: str  # the OBO ontology id: "rls"
    version: str | None  # owl:versionInfo, a date
    title: str | None
    header_values: list[PropertyValue]
    remarks: list[str]
    terms: list[OboTerm]
    synonym_types: dict[str, str]  # IRI -> description
    subsets: dict[str, str]  # IRI -> description
    graph: Graph = field(repr=False)


def read_simple(simple: Graph, labels: Graph | None = None) -> OboDocument:
    """The simple product as OBO records; ``labels`` (the merged ontology) names synonym types
    and subsets the simple product only points at."""
    labels = labels if labels is not None else simple
    header = ontology_iri(simple)
    prefix = str(simple.value(header, VANN.preferredNamespacePrefix) or OBO_NAME) if header else OBO_NAME
    header_values: list[PropertyValue] = []
    remarks: list[str] = []
    version = title = None
    if header is not None:
        for p, o in sorted(simple.predicate_objects(header)):
            if p in (RDF.type, OWL.versionIRI, OWL.imports) or isinstance(o, BNode):
                continue
            if p == RDFS.comment:
                remarks.append(str(o))
                continue
            if p == OWL.versionInfo:
                version = str(o)
            if p == URIRef("http://purl.org/dc/terms/title"):
                title = str(o)
            header_values.append(_value(URIRef(str(p)), o))
    terms: list[OboTerm] = []
    synonym_types: dict[str, str] = {}
    subsets: dict[str, str] = {}
    used_properties: set[URIRef] = set()
    for cls in sorted(named_classes(simple)):
        term = _term(simple, cls)
        for synonym in term.synonyms:
            if synonym.type is not None:
                synonym_types[synonym.type] = _label(labels, URIRef(synonym.type))
        for subset in term.subsets:
            subsets[subset] = _label(labels, URIRef(subset))
        used_properties.update(URIRef(v.property) for v in term.values)
        terms.append(term)
    for prop in sorted(used_properties):
        terms.append(OboTerm(str(prop), name=_optional_label(simple, prop), is_property=True))
    return OboDocument(
        str(header) if header is not None else str(RLS),
        prefix,
        version,
        title,
        sorted(header_values, key=_value_key),
        sorted(remarks),
        terms,
        synonym_types,
        subsets,
        simple,
    )


def _term(graph: Graph, cls: URIRef) -> OboTerm:
    term = OboTerm(str(cls))
    labels = sorted(str(o) for o in graph.objects(cls, RDFS.label))
    definitions = sorted(graph.objects(cls, IAO_DEFINITION), key=str)
    comments = sorted(str(o) for o in graph.objects(cls, RDFS.comment))
    if labels:
        term.name = labels[0]
        term.values += [PropertyValue(str(RDFS.label), text, str(XSD.string)) for text in labels[1:]]
    if definitions:
        term.definition = str(definitions[0])
        term.definition_xrefs = _axiom_values(graph, cls, IAO_DEFINITION, definitions[0], OBOINOWL.hasDbXref)
        term.values += [_value(IAO_DEFINITION, o) for o in definitions[1:]]
    if comments:
        term.comment = comments[0]
        term.values += [PropertyValue(str(RDFS.comment), text, str(XSD.string)) for text in comments[1:]]
    for predicate, scope in SCOPES.items():
        for text in sorted(graph.objects(cls, predicate), key=str):
            types = _axiom_values(graph, cls, predicate, text, OBOINOWL.hasSynonymType)
            xrefs = _axiom_values(graph, cls, predicate, text, OBOINOWL.hasDbXref)
            term.synonyms.append(Synonym(str(text), scope, types[0] if types else None, xrefs))
    for xref in sorted(str(o) for o in graph.objects(cls, OBOINOWL.hasDbXref)):
        if _parses(xref):
            term.xrefs.append(xref)
        else:  # not an OBO identifier (a space, say): kept, as a property value
            term.values.append(PropertyValue(str(OBOINOWL.hasDbXref), xref, str(XSD.string)))
    term.subsets = sorted(str(o) for o in graph.objects(cls, OBOINOWL.inSubset))
    term.is_a = sorted(str(o) for o in graph.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef))
    term.obsolete = any(
        o.toPython() is True for o in graph.objects(cls, OWL.deprecated) if isinstance(o, Literal)
    )
    term.replaced_by = sorted(str(o) for o in graph.objects(cls, REPLACED_BY))
    term.consider = sorted(str(o) for o in graph.objects(cls, OBOINOWL.consider))
    for p, o in graph.predicate_objects(cls):
        if p not in MAPPED and not isinstance(o, BNode):
            term.values.append(_value(URIRef(str(p)), o))
    term.values.sort(key=_value_key)
    return term


# -- OBO -------------------------------------------------------------------------------------


def obo_text(document: OboDocument) -> str:
    """The document in OBO 1.4 syntax, through fastobo's syntax tree.

    :raises ValueError: fastobo refuses a value (it then says which).
    """
    names = _IdNames(document)
    frames: list[fastobo.abc.AbstractEntityFrame] = []
    for term in sorted(document.terms, key=lambda t: (t.is_property, names.text(t.iri))):
        frames.append(_typedef_frame(term, names) if term.is_property else _term_frame(term, names))
    header = fastobo.header.HeaderFrame()
    header.append(fastobo.header.FormatVersionClause("1.4"))
    if document.version:
        header.append(fastobo.header.DataVersionClause(f"releases/{document.version}"))
    for iri, description in sorted(document.subsets.items()):
        header.append(fastobo.header.SubsetdefClause(names.ident(iri), description))
    for iri, description in sorted(document.synonym_types.items()):
        header.append(fastobo.header.SynonymTypedefClause(names.ident(iri), description))
    versioned = version_iri(document.graph, SIMPLE)
    values = list(document.header_values)
    if versioned is not None:
        values.append(PropertyValue(str(OWL.versionIRI), _renamed(versioned, f"{OBO_NAME}.obo"), None))
    # every identifier is named before the idspaces are written: naming one records its prefix
    value_clauses = [
        fastobo.header.PropertyValueClause(_pv(value, names)) for value in sorted(values, key=_value_key)
    ]
    for prefix, namespace in sorted(names.used.items()):
        if prefix not in _BUILTIN_IDSPACES:
            title = document.title if prefix == document.prefix else None
            header.append(fastobo.header.IdspaceClause(prefix, fastobo.id.Url(namespace), title))
    header.append(fastobo.header.OntologyClause(document.prefix))
    for clause in value_clauses:
        header.append(clause)
    for remark in document.remarks:
        header.append(fastobo.header.RemarkClause(remark))
    doc = fastobo.doc.OboDoc(header)
    for frame in frames:
        doc.append(frame)
    return str(doc).rstrip("\n") + "\n"


def _term_frame(term: OboTerm, names: "_IdNames") -> fastobo.term.TermFrame:
    frame = fastobo.term.TermFrame(names.ident(term.iri))
    if term.name is not None:
        frame.append(fastobo.term.NameClause(term.name))
    if term.definition is not None:
        xrefs = [fastobo.xref.Xref(fastobo.id.parse(x)) for x in term.definition_xrefs if _parses(x)]
        frame.append(fastobo.term.DefClause(term.definition, xrefs))
    if term.comment is not None:
        frame.append(fastobo.term.CommentClause(term.comment))
    for subset in term.subsets:
        frame.append(fastobo.term.SubsetClause(names.ident(subset)))
    for synonym in sorted(term.synonyms, key=lambda s: (s.text, s.scope)):
        kind = names.ident(synonym.type) if synonym.type is not None else None
        xrefs = [fastobo.xref.Xref(fastobo.id.parse(x)) for x in synonym.xrefs if _parses(x)]
        frame.append(
            fastobo.term.SynonymClause(fastobo.syn.Synonym(synonym.text, synonym.scope, kind, xrefs))
        )
    for xref in term.xrefs:
        frame.append(fastobo.term.XrefClause(fastobo.xref.Xref(fastobo.id.parse(xref))))
    for value in term.values:
        frame.append(fastobo.term.PropertyValueClause(_pv(value, names)))
    for parent in sorted(term.is_a, key=names.text):
        frame.append(fastobo.term.IsAClause(names.ident(parent)))
    if term.obsolete:
        frame.append(fastobo.term.IsObsoleteClause(True))
    for replacement in term.replaced_by:
        frame.append(fastobo.term.ReplacedByClause(names.ident(replacement)))
    for other in term.consider:
        frame.append(fastobo.term.ConsiderClause(names.ident(other)))
    return frame


def _typedef_frame(term: OboTerm, names: "_IdNames") -> fastobo.typedef.TypedefFrame:
    frame = fastobo.typedef.TypedefFrame(names.ident(term.iri))
    if term.name is not None:
        frame.append(fastobo.typedef.NameClause(term.name))
    frame.append(fastobo.typedef.IsMetadataTagClause(True))
    return frame


def _pv(value: PropertyValue, names: "_IdNames") -> fastobo.pv.AbstractPropertyValue:
    relation = names.ident(value.property)
    if value.datatype is None:
        return fastobo.pv.ResourcePropertyValue(relation, names.ident(value.value))
    return fastobo.pv.LiteralPropertyValue(relation, value.value, names.ident(value.datatype))


class _IdNames:
    """IRIs as OBO identifiers: OBO PURLs as ``PREFIX:LOCAL``, IRIs under a project prefix as
    CURIEs (their idspace is then declared), anything else as the IRI itself."""

    def __init__(self, document: OboDocument) -> None:
        self.used: dict[str, str] = {}
        own = {document.prefix: str(RLS)} if document.prefix not in PREFIXES else {}
        namespaces = {**PREFIXES, **own}
        self._namespaces = sorted(
            ((p, ns) for p, ns in namespaces.items() if p not in _NOT_IDSPACES),
            key=lambda item: -len(item[1]),
        )

    def text(self, iri: str) -> str:
        match = _OBO_PURL.match(iri)
        if match is not None:
            return f"{match.group(1)}:{match.group(2)}"
        for prefix, namespace in self._namespaces:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL.match(local):
                self.used[prefix] = namespace
                return f"{prefix}:{local}"
        return iri

    def ident(self, iri: str) -> fastobo.id.BaseIdent:
        text = self.text(iri)
        if text == iri:
            return fastobo.id.Url(iri)
        prefix, _, local = text.partition(":")
        return fastobo.id.PrefixedIdent(prefix, local)


# -- OBO Graphs JSON ---------------------------------------------------------------------------


def obographs_json(document: OboDocument) -> str:
    """The document as an OBO Graphs JSON ``GraphDocument`` with one graph, keys and arrays sorted."""
    nodes = [_node(term) for term in document.terms]
    edges = [
        {"sub": term.iri, "pred": "is_a", "obj": parent} for term in document.terms for parent in term.is_a
    ]
    meta: dict[str, object] = {}
    versioned = version_iri(document.graph, SIMPLE)
    if versioned is not None:
        meta["version"] = _renamed(versioned, f"{OBO_NAME}.json")
    if document.header_values:
        meta["basicPropertyValues"] = [{"pred": v.property, "val": v.value} for v in document.header_values]
    if document.remarks:
        meta["comments"] = document.remarks
    graph = {
        "id": document.ontology,
        "meta": meta,
        "nodes": sorted(nodes, key=lambda n: str(n["id"])),
        "edges": sorted(edges, key=lambda e: (e["sub"], e["obj"])),
    }
    return json.dumps({"graphs": [graph]}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _node(term: OboTerm) -> dict[str, object]:
    node: dict[str, object] = {"id": term.iri}
    if term.name is not None:
        node["lbl"] = term.name
    if term.is_property:
        node["type"] = "PROPERTY"
        node["propertyType"] = "ANNOTATION"
        return node
    node["type"] = "CLASS"
    meta: dict[str, object] = {}
    if term.definition is not None:
        meta["definition"] = {"val": term.definition, "xrefs": term.definition_xrefs}
    if term.comment is not None:
        meta["comments"] = [term.comment]
    if term.subsets:
        meta["subsets"] = term.subsets
    if term.synonyms:
        synonyms = []
        for synonym in term.synonyms:
            item: dict[str, object] = {
                "pred": f"has{synonym.scope.capitalize()}Synonym",
                "val": synonym.text,
                "xrefs": synonym.xrefs,
            }
            if synonym.type is not None:
                item["synonymType"] = synonym.type
            synonyms.append(item)
        meta["synonyms"] = sorted(synonyms, key=lambda s: (str(s["val"]), str(s["pred"])))
    if term.xrefs:
        meta["xrefs"] = [{"val": x} for x in term.xrefs]
    values = [{"pred": v.property, "val": v.value} for v in term.values]
    values += [{"pred": str(REPLACED_BY), "val": r} for r in term.replaced_by]
    values += [{"pred": str(OBOINOWL.consider), "val": c} for c in term.consider]
    if values:
        meta["basicPropertyValues"] = values
    if term.obsolete:
        meta["deprecated"] = True
    if meta:
        node["meta"] = meta
    return node


# -- helpers ----------------------------------------------------------------------------------


def _value(prop: URIRef, value: object) -> PropertyValue:
    if isinstance(value, Literal):
        datatype = value.datatype if value.datatype is not None else XSD.string
        return PropertyValue(str(prop), str(value), str(datatype))
    return PropertyValue(str(prop), str(value), None)


def _value_key(value: PropertyValue) -> tuple[str, str, str]:
    return (value.property, value.value, value.datatype or "")


def _axiom_values(graph: Graph, source: URIRef, prop: URIRef, target: Node, annotation: URIRef) -> list[str]:
    """The values of ``annotation`` on the owl:Axiom that annotates (source, prop, target)."""
    found: set[str] = set()
    for axiom in graph.subjects(OWL.annotatedSource, source):
        if (axiom, OWL.annotatedProperty, prop) in graph and (axiom, OWL.annotatedTarget, target) in graph:
            found.update(str(o) for o in graph.objects(axiom, annotation))
    return sorted(found)


def _label(graph: Graph, iri: URIRef) -> str:
    return _optional_label(graph, iri) or re.split(r"[/#]", str(iri))[-1]


def _optional_label(graph: Graph, iri: URIRef) -> str | None:
    labels = sorted(str(o) for o in graph.objects(iri, RDFS.label))
    return labels[0] if labels else None


def _renamed(iri: URIRef, file_name: str) -> str:
    return str(iri).rpartition("/")[0] + "/" + file_name


def _parses(text: str) -> bool:
    """Whether fastobo reads ``text`` as an identifier (prefixed, unprefixed or URL)."""
    try:
        fastobo.id.parse(text)
    except ValueError:
        return False
    return bool(text) and not any(c.isspace() for c in text)
