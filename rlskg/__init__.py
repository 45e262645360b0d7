"""rlskg: a knowledge graph of Restless Legs Syndrome (Willis-Ekbom disease) and its causes.

Three subpackages, one per stage of the data flow (ARCHITECTURE.md): ``rlskg.ontology`` (the OWL
ontology: edit file, checks, reasoning, release), ``rlskg.graph`` (the sourced data, the build and
the stores) and ``rlskg.service`` (the SPARQL service and its pages); ``rlskg.cli`` is the command
line over all three. Importing this package imports none of them.
"""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package's metadata on first use: importlib.metadata
    adds 5 MiB to every process that imports rlskg, evaluators included."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rlskg")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
