"""The graph's ``rlskg`` commands: ``build``, ``check`` (the ontology's checks, then the data's),
and ``publish`` (a build into a remote store).

Exit codes (as pySHACL's and the other commands'): 0 ok, 1 a check failed or a remote refused or
could not be reached, 2 bad input (a source that does not parse, an ontology that cannot be
loaded, an output folder that cannot be written or holds no build).
"""

from pathlib import Path

import click

from rlskg.conventions import DEFAULT_OUT, EXIT_BAD_INPUT
from rlskg.graph.build import build_dataset
from rlskg.graph.errors import GraphBuildError
from rlskg.graph.manifest import MANIFEST
from rlskg.graph.publish import PublishError, read_graphs, send_graphs
from rlskg.graph.stores import read_manifest_version
from rlskg.graph.stores.auth import Credentials
from rlskg.graph.validate import check_dataset
from rlskg.ontology.check import check_modules, check_ontology
from rlskg.ontology.commands import print_report
from rlskg.ontology.problems import Problem
from rlskg.ontology.source import OntologySourceError

_OUT = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="The build folder (dataset, ontology release, VoID and manifest).",
)


@click.command("check")
@_OUT
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every row of the ROBOT-report rules (ERROR, WARN and INFO) to this TSV file.",
)
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def check_command(ctx: click.Context, out_dir: Path, report_file: Path | None, path: Path | None) -> None:
    """Check the disease ontology and the data model (OWL 2 DL profile, formatting, QC queries,
    SHACL, HermiT, the ROBOT-report rules over each release product, the OBO products read back),
    then the dataset built in OUT (SHACL data shapes, files against the manifest, OWL RL
    consistency).

    With PATH, check that ontology file alone: the built dataset belongs to the shipped ontology."""
    try:
        report = check_ontology(path) if path is not None else check_modules()
    except OntologySourceError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    if report_file is not None:
        header = "Level\tRule Name\tProduct\tSubject\tProperty\tValue\n"
        rows = "".join(v.tsv() + "\n" for v in report.violations)
        report_file.write_text(header + rows, encoding="utf-8")
    problems = list(report.problems)
    if path is None:
        if (out_dir / MANIFEST).is_file():
            problems += check_dataset(out_dir)
        else:
            problems.append(Problem("build", str(out_dir), "no built dataset here: run `rlskg build` first"))
    ctx.exit(print_report(problems, report.figures))


@click.command("build")
@_OUT
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of source files (*.ttl)  [default: graph/sources]",
)
@click.pass_context
def build_command(ctx: click.Context, out_dir: Path, sources_dir: Path | None) -> None:
    """Build the dataset (ontology, one graph per source, simple and inferred triples) into OUT."""
    try:
        result = build_dataset(out_dir, sources_dir)
    except GraphBuildError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    width = max(len(iri) for iri in [*result.graphs, "total"])
    for iri, count in result.graphs.items():
        click.echo(f"{iri:<{width}}  {count:>8} triples")
    click.echo(f"{'total':<{width}}  {result.triples:>8} triples")
    for message in result.reasoner_messages:
        click.echo(f"warning: owlrl: {message}", err=True)
    click.echo(f"version {result.version[:12]}, written to {out_dir} in {result.seconds:.1f} s")


@click.command("publish")
@click.option(
    "--to", "endpoint", required=True, help="The remote's Graph Store endpoint, e.g. http://host:7878/store"
)
@_OUT
@click.option("--token", default=None, envvar="RLSKG_PUBLISH_TOKEN", help="A bearer token for the remote.")
@click.option("--user", default=None, help="A user name, for a remote that asks for one (Basic or Digest).")
@click.option(
    "--password",
    default=None,
    envvar="RLSKG_PUBLISH_PASSWORD",
    help="The user's password; better given in RLSKG_PUBLISH_PASSWORD, or typed when asked.",
)
@click.pass_context
def publish_command(
    ctx: click.Context,
    endpoint: str,
    out_dir: Path,
    token: str | None,
    user: str | None,
    password: str | None,
) -> None:
    """Load the dataset built in OUT into a remote store: one Graph Store PUT per named graph, so
    that publishing again changes nothing."""
    auth = None
    if user is not None:
        if password is None:
            password = click.prompt(f"password for {user}", hide_input=True, err=True)
        auth = Credentials(user, password or "")
    try:
        graphs = read_graphs(out_dir)
    except PublishError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    try:
        sent = send_graphs(
            graphs, endpoint, token=token, auth=auth, progress=lambda line: click.echo(line, err=True)
        )
    except PublishError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(1)
    version = (read_manifest_version(out_dir) or "unknown")[:12]
    click.echo(
        f"published {sum(sent.values())} triples in {len(sent)} graphs (version {version}) to {endpoint}"
    )
