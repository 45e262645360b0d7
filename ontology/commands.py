"""The ontology's ``rlskg`` commands: ``fmt``, ``docs``, ``diff`` and ``imports refresh``, and the
report printer ``rlskg check`` uses (the command itself is ``graph.commands.check_command``: it
checks the data too).

Exit codes (as pySHACL's): 0 ok, 1 a check failed (or the file is not canonical), 2 bad input.
"""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import click
from rdflib import URIRef

from rlskg.conventions import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS
from rlskg.ontology.check import Figure
from rlskg.ontology.diff import DiffInputError, diff_files
from rlskg.ontology.docs import DOCS_DIR, write_docs
from rlskg.ontology.extract import MODULES, ExtractError, refresh_module, tables_graph
from rlskg.ontology.fmt import format_file, format_graph, is_canonical
from rlskg.ontology.owlapi import OwlApiUnavailable
from rlskg.ontology.problems import Problem
from rlskg.ontology.source import EDIT_FILE, IMPORTS_DIR, OntologySourceError

_PATH = click.Path(dir_okay=False, path_type=Path)


def print_report(
    problems: Sequence[Problem],
    figures: Mapping[str, Figure] | None = None,
    echo: Callable[[str], None] = click.echo,
) -> int:
    """Print each problem on its own line, then the figures table and a summary; return the exit code.

    Any list of problems will do: ``rlskg check`` can add the data graph's to the ontology's.
    """
    for problem in sorted(problems):
        echo(str(problem))
    if figures:
        width = max(len(name) for name in figures)
        echo("")
        for name, value in figures.items():
            echo(f"{name:<{width}}  {value}")
    echo("")
    if problems:
        checks = sorted({p.check for p in problems})
        echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} ({', '.join(checks)})")
        return EXIT_PROBLEMS
    echo("no problems")
    return EXIT_OK


@click.command("fmt")
@click.option(
    "--check", "check_only", is_flag=True, help="Only say whether the file is canonical (exit 1 if not)."
)
@click.argument("path", required=False, type=_PATH)
@click.pass_context
def fmt_command(ctx: click.Context, check_only: bool, path: Path | None) -> None:
    """Rewrite the ontology's Turtle (default ontology/rls.ttl) in canonical order."""
    path = path or EDIT_FILE
    try:
        if check_only:
            if is_canonical(path):
                click.echo(f"{path}: canonical")
                return
            click.echo(f"{path}: not in canonical form (run: rlskg fmt {path})", err=True)
            ctx.exit(EXIT_PROBLEMS)
        changed = format_file(path)
    except OntologySourceError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    click.echo(f"{path}: {'reformatted' if changed else 'already canonical'}")


@click.command("docs")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DOCS_DIR, show_default=True
)
@click.argument("path", required=False, type=_PATH)
@click.pass_context
def docs_command(ctx: click.Context, out_dir: Path, path: Path | None) -> None:
    """Write the ontology's HTML documentation (pyLODE) into OUT."""
    try:
        page = write_docs(out_dir, path)
    except OntologySourceError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    click.echo(f"wrote {page}")


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def diff_command(ctx: click.Context, old: Path, new: Path) -> None:
    """Say what changed from release OLD to release NEW (rls.owl, .ttl, ...): classes, logical
    axioms and mappings added, removed and changed, as Markdown."""
    try:
        result = diff_files(old, new)
    except DiffInputError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    click.echo(result.markdown(old_name=f"`{old}`", new_name=f"`{new}`"), nl=False)


@click.group("imports")
def imports_group() -> None:
    """The import modules (ontology/imports/): extracted from upstream ontologies, as ODK does."""


@imports_group.command("refresh")
@click.option(
    "--ontology",
    "name",
    type=click.Choice(sorted(MODULES)),
    required=True,
    help="Which module: its seed list is imports/<name>_terms.txt, its output imports/<name>_import.ttl.",
)
@click.option(
    "--upstream",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The upstream ontology file to extract from (OWL, OBO, Turtle, JSON-LD).",
)
@click.option(
    "--source", default=None, help="The upstream release IRI for dcterms:source (default: the file's own)."
)
@click.option("--note", default="", help="Where the upstream file was read, for the module's rdfs:comment.")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=IMPORTS_DIR,
    show_default=True,
    help="The folder of the seed lists and modules.",
)
@click.pass_context
def refresh_command(
    ctx: click.Context, name: str, upstream: Path, source: str | None, note: str, folder: Path
) -> None:
    """Rebuild one import module from an upstream file: ODK's `make refresh-<name>`."""
    try:
        out = refresh_module(
            MODULES[name], upstream, folder, source=URIRef(source) if source else None, note=note
        )
    except (ExtractError, OwlApiUnavailable) as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    click.echo(f"wrote {out}")


@imports_group.command("tables")
@click.option(
    "--labels",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="A TSV table of classes and their labels (Mondo's reports/class-stats.tsv).",
)
@click.option(
    "--edges",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="A TSV table of x, p, y edges; the rdfs:subClassOf ones are kept (Mondo's reports/edges.tsv).",
)
@click.option("--ontology-iri", required=True, help="The upstream ontology's IRI, for the file's header.")
@click.option("--version-iri", default=None, help="The release the tables were made from (owl:versionIRI).")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The Turtle file to write."
)
@click.pass_context
def tables_command(
    ctx: click.Context, labels: Path, edges: Path, ontology_iri: str, version_iri: str | None, out: Path
) -> None:
    """Make an upstream file (classes, labels, superclasses) from an ontology's release reports,
    for `rlskg imports refresh` (MIREOT) when no release file can be read."""
    try:
        graph = tables_graph(
            labels, edges, URIRef(ontology_iri), URIRef(version_iri) if version_iri else None
        )
        out.write_text(format_graph(graph), encoding="utf-8")
    except ExtractError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    except OSError as error:
        click.echo(f"error: {out}: cannot write: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    click.echo(f"wrote {out}")
