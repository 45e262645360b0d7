"""The ``rlskg`` command line: one group, with each package's commands registered on it.

Exit codes (``rlskg.conventions``) follow pySHACL's habit: 0 ok, 1 a check or validation failed, 2 bad
input.
"""

import click

from rlskg.graph.commands import build_command, check_command, publish_command
from rlskg.ontology.commands import diff_command, docs_command, fmt_command, imports_group
from rlskg.service.commands import query_command, serve_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rlskg")
def main() -> None:
    """rlskg: the Restless Legs Syndrome knowledge graph and its SPARQL service."""


main.add_command(fmt_command)
main.add_command(check_command)
main.add_command(docs_command)
main.add_command(diff_command)
main.add_command(imports_group)
main.add_command(build_command)
main.add_command(serve_command)
main.add_command(query_command)
main.add_command(publish_command)

if __name__ == "__main__":
    main()
