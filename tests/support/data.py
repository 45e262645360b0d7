"""Where the test data lives: tests/data/ (fixture sources and ontologies, the service's small
dataset) and the competency questions' expected rows."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
DATA_DIR = TESTS / "data"
SOURCES = DATA_DIR / "sources"  # fixture sources, in the layout of graph/sources/
ONTOLOGY = DATA_DIR / "graph-ontology.ttl"  # the ontology the fixture sources are built against
MINI = DATA_DIR / "mini-ontology" / "mini-ontology.ttl"  # a small edit file in the project's conventions
SERVICE_DATA = DATA_DIR / "service-mini.trig"  # what the in-process service tests serve
EXPECTED_DIR = TESTS / "graph" / "competency"  # each competency question's expected rows, as SPARQL TSV
