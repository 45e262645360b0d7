"""Regression: a source file with a byte that is not UTF-8 failed the build naming the file and a
position in rdflib's read buffer, but no line. It now names the line, as a syntax error does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rlskg.graph.errors import GraphBuildError
from rlskg.graph.sources import parse_source
from tests.support.data import SOURCES


def test_parse_source_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = Path(shutil.copy(sorted(SOURCES.glob("*.ttl"))[0], tmp_path / "alpha.ttl"))
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:6]) + b"# caf\xe9\n" + b"".join(lines[6:]))
    with pytest.raises(GraphBuildError, match=rf"^{path}:7: invalid Turtle: not UTF-8 \(byte 0xe9\)"):
        parse_source(path)
