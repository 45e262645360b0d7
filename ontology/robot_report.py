"""A ROBOT-report equivalent: ``robot report``'s default rules at its default levels, over each
release product.

Each rule is a SPARQL SELECT of ``?entity ?property ?value`` in ``report/<rule>.rq`` (written for
rlskg after what ROBOT's rule of the same name checks; its first line, ``#+ summary: ...``, says
what a row means). ``report/profile.tsv`` gives each rule its level, as ROBOT's default profile
does: ``ERROR`` (must be fixed before a release), ``WARN`` (should be fixed), ``INFO`` (could be).
As ``robot report`` (``--fail-on ERROR``), a row at ERROR is a problem that fails ``rlskg check``;
WARN and INFO rows are counted, and listed by ``rlskg check --report FILE``.

As ODK runs it (``robot_report: use_base_iris: True``, ODK's default; ``robot report --base-iri``),
a row is dropped when its entity is an OBO term (``obo:IDSPACE_0000000``, what the import modules
bring in): the terms of the import modules are the upstream ontologies' to fix, but a
project term that clashes with one of them (the same label, say) is reported.
The rules differ from ROBOT's where ROBOT's SPARQL does not do what its
documentation says (its ``invalid_entity_uri`` tests an https prefix against an http pattern);
each file says so.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from rlskg.ontology.diff import term_name
from rlskg.ontology.problems import Problem
from rlskg.ontology.qc import read_summarised_query
from rlskg.ontology.source import PACKAGE_DIR

REPORT_DIR = PACKAGE_DIR / "report"
# A well-formed OBO term IRI (obo:CHEBI_18243): a term of an import module, not the project's.
_IMPORTED = re.compile(r"http://purl\.obolibrary\.org/obo/[A-Za-z]+_[0-9]+")
PROFILE = REPORT_DIR / "profile.tsv"
LEVELS = ("ERROR", "WARN", "INFO")


@dataclass(frozen=True)
class Rule:
    """One rule: its name (the file's), level, summary and parsed query."""

    name: str
    level: str
    summary: str
    query: Query


@dataclass(frozen=True, order=True)
class Violation:
    """One row of the report: as ``robot report`` writes it, plus the product it was found in."""

    level: str
    rule: str
    product: str
    entity: str
    property: str
    value: str

    def tsv(self) -> str:
        return "\t".join((self.level, self.rule, self.product, self.entity, self.property, self.value))


def load_rules(folder: Path = REPORT_DIR) -> list[Rule]:
    """The rules the profile of ``folder`` names, in its order.

    :raises ValueError: the profile names a level that is not ERROR, WARN or INFO, or a rule whose
        file is missing, does not parse or has no ``#+ summary:`` line.
    """
    rules = []
    profile = folder / PROFILE.name
    for number, line in enumerate(profile.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        level, _, name = (part.strip() for part in line.partition("\t"))
        if level not in LEVELS or not name:
            raise ValueError(f"{profile}:{number}: expected 'LEVEL<TAB>rule' with LEVEL one of {LEVELS}")
        path = folder / f"{name}.rq"
        if not path.is_file():
            raise ValueError(f"{profile}:{number}: no rule file {path.name}")
        summary, query = read_summarised_query(path)
        rules.append(Rule(name, level, summary, query))
    return rules


@cache
def packaged_rules() -> tuple[Rule, ...]:
    """The rules of ``report/``, parsed once."""
    return tuple(load_rules())


def report(graph: Graph, product: str, rules: tuple[Rule, ...] | list[Rule] | None = None) -> list[Violation]:
    """Every rule's rows over ``graph`` (the product named ``product``, e.g. ``rls-base.owl``), sorted."""
    rows: set[Violation] = set()
    for rule in rules if rules is not None else packaged_rules():
        for entity, prop, value in graph.query(rule.query):  # type: ignore[misc]
            if isinstance(entity, URIRef) and _IMPORTED.fullmatch(entity):
                continue  # ODK's use_base_iris: an imported term's own rows are its ontology's
            rows.add(Violation(rule.level, rule.name, product, _text(entity), _text(prop), _text(value)))
    return sorted(
        rows, key=lambda v: (LEVELS.index(v.level), v.rule, v.product, v.entity, v.property, v.value)
    )


def problems(violations: list[Violation]) -> list[Problem]:
    """The ERROR rows as problems (``report:<rule>``), which fail ``rlskg check``."""
    summaries = {rule.name: rule.summary for rule in packaged_rules()}
    found = []
    for v in violations:
        if v.level == "ERROR":
            detail = " ".join(part for part in (v.property, v.value) if part)
            message = f"{v.product}: {summaries.get(v.rule, v.rule)}" + (f" ({detail})" if detail else "")
            found.append(Problem(f"report:{v.rule}", v.entity, message))
    return found


def counts(violations: list[Violation], product: str) -> str:
    """``ERROR 0, WARN 12, INFO 3``: what ROBOT prints at the end of a report."""
    found = [v for v in violations if v.product == product]
    return ", ".join(f"{level} {sum(1 for v in found if v.level == level)}" for level in LEVELS)


def _text(node: Node | None) -> str:
    return term_name(node) if node is not None else ""
