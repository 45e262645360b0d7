"""Fixtures of the ontology tests: the two edit files (the mini fixture and the real rls.ttl) and the
expensive results (OWL API, HermiT), computed once per session for each."""

from pathlib import Path

import pytest

from rlskg.ontology.check import CheckReport, check_ontology
from rlskg.ontology.source import EDIT_FILE
from tests.support.data import MINI

EDIT_FILES = {"mini": MINI, "rls": EDIT_FILE}


@pytest.fixture(scope="session", params=sorted(EDIT_FILES))
def edit_file(request: pytest.FixtureRequest) -> Path:
    """Each edit file in turn: the tests must pass on both (the real one is never skipped)."""
    path: Path = EDIT_FILES[request.param]
    return path


@pytest.fixture(scope="session")
def check_report(edit_file: Path) -> CheckReport:
    """Every check on the edit file, run once: the OWL API and HermiT each start once per file."""
    return check_ontology(edit_file)
