"""What the graph build raises when its input cannot be used."""


class GraphBuildError(Exception):
    """The build cannot go on: a source file does not parse, a file name is not a usable key, the
    ontology cannot be loaded, or the output folder cannot be written. ``str(error)`` is a short
    message fit for the command line (``file:line: reason`` where there is a line)."""
