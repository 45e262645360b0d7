"""``check_ontology`` and ``rlskg check``: every step, the figures, and the exit codes."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rlskg.conventions import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS
from rlskg.graph import commands
from rlskg.graph.commands import check_command
from rlskg.ontology.check import CheckReport, check_ontology
from rlskg.ontology.commands import print_report
from rlskg.ontology.problems import Problem
from tests.support.data import MINI
from tests.support.ontology_variants import write_variant


@pytest.mark.reasoner
def test_check_finds_no_problem(check_report: CheckReport) -> None:
    assert not check_report.problems, "\n".join(map(str, check_report.problems))


@pytest.mark.reasoner
def test_check_reports_figures(check_report: CheckReport) -> None:
    counts = {name: value for name, value in check_report.figures.items() if isinstance(value, int)}
    for name in ("classes", "defined classes", "object properties", "xrefs", "axioms (OWL API)"):
        assert counts.get(name, 0) > 0, name
    assert counts["defined classes"] <= counts["classes"]
    assert isinstance(check_report.figures["reasoner seconds"], float)


def test_check_without_java_reports_problems_not_tracebacks(
    edit_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    report = check_ontology(edit_file)
    messages = {p.check: p.message for p in report.problems if p.subject == str(edit_file)}
    assert messages["owl2-dl-profile"].startswith("cannot run the OWL API: java not found")
    assert messages["reasoner"].startswith("cannot run HermiT")
    assert report.profile is None and report.reasoner is None
    assert "reasoner seconds" not in report.figures


def test_print_report_prints_one_line_per_problem_and_the_figures() -> None:
    lines: list[str] = []
    problems = [Problem("qc", "https://w3id.org/rlskg/ontology/X", "has no label")]
    assert print_report(problems, {"classes": 3}, echo=lines.append) == EXIT_PROBLEMS
    assert lines[0] == "[qc] https://w3id.org/rlskg/ontology/X: has no label"
    assert "classes  3" in lines and lines[-1] == "1 problem (qc)"
    lines.clear()
    assert print_report([], echo=lines.append) == EXIT_OK and lines[-1] == "no problems"


def test_check_cli_exits_1_and_prints_each_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = [
        Problem("missing-label", "https://w3id.org/rlskg/ontology/A", "has no rdfs:label"),
        Problem("reasoner", "https://w3id.org/rlskg/ontology/B", "unsatisfiable class"),
    ]
    monkeypatch.setattr(commands, "check_ontology", lambda path: CheckReport(MINI, problems, {"classes": 2}))
    result = CliRunner().invoke(check_command, [str(MINI)])
    assert result.exit_code == EXIT_PROBLEMS
    assert "[missing-label] https://w3id.org/rlskg/ontology/A: has no rdfs:label" in result.output
    assert "[reasoner] https://w3id.org/rlskg/ontology/B: unsatisfiable class" in result.output


@pytest.mark.reasoner
def test_check_cli_exits_0_on_a_clean_ontology() -> None:
    result = CliRunner().invoke(check_command, [str(MINI)])
    assert result.exit_code == EXIT_OK, result.output
    assert result.output.rstrip().endswith("no problems")


def test_check_cli_exits_2_on_bad_input(tmp_path: Path) -> None:
    bad = write_variant(
        MINI, tmp_path, text="@prefix rls: <https://w3id.org/rlskg/ontology/> .\nrls:A rls:b\n"
    )
    result = CliRunner().invoke(check_command, [str(bad)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"{bad}:" in result.output and "invalid Turtle" in result.output


def test_check_cli_exits_2_on_an_unresolvable_import(tmp_path: Path) -> None:
    copy = write_variant(MINI, tmp_path)
    shutil.rmtree(tmp_path / "imports")
    result = CliRunner().invoke(check_command, [str(copy)])
    assert result.exit_code == EXIT_BAD_INPUT and "does not exist" in result.output
