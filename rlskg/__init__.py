"""rlskg: a knowledge graph of Restless Legs Syndrome (Willis-Ekbom disease) and its causes.

Three subpackages, one per stage of the data flow (ARCHITECTURE.md): ``rlskg.ontology`` (the OWL
ontology: edit file, checks, reasoning, release), ``rlskg.graph`` (the sourced data, the build and
the stores) and ``rlskg.service`` (the SPARQL service and its pages); ``rlskg.cli`` is the command
line over all three. Importing this package imports none of them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rlskg")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
