"""A picture of a resource and its neighbours: a columnar layout computed here, drawn as inline SVG
by templates/diagram.html (so every label is escaped by Jinja).

The resource sits in the middle; its neighbours stand in two columns of titled groups, each joined
to the middle by a line coloured by what the relation does (causes, worsens, relieves...) and drawn
by how firmly a source states it: solid when established, dashed for a correlation, dotted when
only put forward as possible. A relation a source denies or rejects is never drawn as the relation:
it stands in a group of its own ("not: causes"), grey and crossed.

>>> d = layout(Node("RLS", "/x"), [("causes", [Node("iron deficiency", "/y", "causes")])], [])
>>> d.width, len(d.nodes), d.nodes[0].x < d.center.x
(960, 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 960
ROW = 22  # px between two nodes of a column
TOP = 30
COLUMN_WIDTH = 300
MAX_PER_GROUP = 10
# At most about this many rows in a column: a resource with many groups shows fewer of each (at
# least MIN_PER_GROUP), so that the picture stays about a screen high; the rest are a link away.
MAX_ROWS = 30
MIN_PER_GROUP = 2
# The resource sits level with its first neighbours when the picture is tall, so that it is on the
# first screen: the lines to the groups further down fan out below it.
CENTER_TOP = TOP + 6 * ROW
LABEL_CHARS = 40
# Colours by the relation's local name; anything else is grey.
# Distinct hues (not three reds and three greens): what harms in warm colours, what helps in cool ones.
COLOURS = {
    "causes": "#b2182b",
    "contributesTo": "#e66101",
    "riskFactorFor": "#c51b7d",
    "worsens": "#8c510a",
    "associatedWith": "#878787",
    "relieves": "#1b7837",
    "treats": "#01665e",
    "recommendedFor": "#5e3c99",
    "formOf": "#2166ac",
    "subClassOf": "#2166ac",
}


# Line patterns (SVG stroke-dasharray) by claim strength; "" is a solid line.
DASHES = {"Established": "", "Associated": "6 3", "Hypothesised": "2 3", "denied": "1 4"}
DENIED_COLOUR = "#bbbbbb"
# The legend's words for each pattern.
STYLES = {
    "Established": "established",
    "Associated": "correlation",
    "Hypothesised": "possible",
    "denied": "denied or rejected",
}


@dataclass(frozen=True)
class Node:
    label: str
    href: str | None
    relation: str = ""  # the relation's local name, for the colour
    strength: str = "Established"  # a key of DASHES: how firmly the relation is stated

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"

    @property
    def colour(self) -> str:
        if self.strength == "denied":
            return DENIED_COLOUR
        return COLOURS.get(self.relation, "#999999")

    @property
    def dashes(self) -> str:
        return DASHES.get(self.strength, "")


@dataclass(frozen=True)
class Placed:
    node: Node
    x: float  # where the label is anchored (its end on the left, its start on the right)
    y: float
    left: bool


@dataclass(frozen=True)
class Heading:
    text: str
    x: float
    y: float
    left: bool
    href: str | None = None  # "and 12 more" links to where they all are


@dataclass
class Diagram:
    center: Placed
    width: int
    height: int
    nodes: list[Placed] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)

    @property
    def relations(self) -> list[tuple[str, str]]:
        """The legend: (relation, colour) of the relations drawn."""
        seen = {p.node.relation for p in self.nodes if p.node.strength != "denied"}
        return [(name, colour) for name, colour in COLOURS.items() if name in seen]

    @property
    def styles(self) -> list[tuple[str, str]]:
        """The legend of line patterns drawn: (words, dasharray)."""
        seen = {p.node.strength for p in self.nodes}
        return [(words, DASHES[key]) for key, words in STYLES.items() if key in seen]


Groups = list[tuple[str, list[Node]]]


def per_group(groups: Groups) -> int:
    """How many nodes of each group a column shows.

    >>> many = [Node("x", None)] * 20
    >>> per_group([("a", many)]), per_group([(str(i), many) for i in range(8)])
    (10, 2)
    """
    filled = sum(1 for _title, nodes in groups if nodes)
    if not filled:
        return MAX_PER_GROUP
    return max(MIN_PER_GROUP, min(MAX_PER_GROUP, MAX_ROWS // filled - 2))


def _column(groups: Groups, left: bool, diagram: Diagram, more_href: str | None) -> float:
    x = COLUMN_WIDTH if left else WIDTH - COLUMN_WIDTH
    y: float = TOP
    most = per_group(groups)
    for title, nodes in groups:
        if not nodes:
            continue
        shown = nodes[: most + 1] if len(nodes) == most + 1 else nodes[:most]  # never "and 1 more"
        more = len(nodes) - len(shown)
        diagram.headings.append(Heading(f"{title} ({len(nodes)})" if more else title, x, y, left))
        y += ROW
        for node in shown:
            diagram.nodes.append(Placed(node, x, y, left))
            y += ROW
        if more:
            diagram.headings.append(Heading(f"and {more} more", x, y, left, more_href))
            y += ROW
        y += ROW // 2
    return y


def layout(center: Node, left: Groups, right: Groups, more_href: str | None = None) -> Diagram:
    """Place ``center`` in the middle and the groups of ``left`` and ``right`` in columns;
    ``more_href``: where a group's "and N more" links to."""
    diagram = Diagram(Placed(center, WIDTH / 2, 0, False), WIDTH, 0)
    height = max(
        _column(left, True, diagram, more_href), _column(right, False, diagram, more_href), TOP + 3 * ROW
    )
    diagram.height = int(height + ROW)
    diagram.center = Placed(center, WIDTH / 2, min(height / 2, CENTER_TOP), False)
    return diagram
