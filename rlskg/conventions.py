"""What every part of rlskg agrees on: where a build goes, what exit codes mean, how settings are
named in the environment. Imports nothing, so that any layer may use it.

Exit codes follow pySHACL's habit.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_OUT = Path("build")  # the build folder `rlskg build` writes and `rlskg serve` reads
EXIT_OK = 0
EXIT_PROBLEMS = 1  # a check or validation found problems
EXIT_BAD_INPUT = 2  # a file that does not parse, a missing dataset, a refused query
ENV_PREFIX = "RLSKG"  # RLSKG_QUERY_TIMEOUT=5, RLSKG_JAVA_DIR=...: every setting from the environment
