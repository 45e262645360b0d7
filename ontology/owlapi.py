"""Run the OWL API (the library Protege is built on) on the edit file, through ``owlapi/OwlTool.java``.

The OWL API comes from Debian's ``libowlapi-java`` (5.1.20, jars in ``/usr/share/java``; another
folder can be named with ``RLSKG_JAVA_DIR``). ``OwlTool.java`` is compiled once per version of its
source into a cache folder (``RLSKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/rlskg``, else
``~/.cache/rlskg``), so that each later call costs one JVM start.
"""

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rlskg.conventions import ENV_PREFIX

TOOL_SOURCE = Path(__file__).resolve().parent / "owlapi" / "OwlTool.java"

# owlapi-distribution.jar bundles every OWL API module; the rest are its run-time dependencies
# (rdf4j because the parser factories are loaded through ServiceLoader, which fails without it).
OWLAPI_JARS: tuple[str, ...] = (
    "owlapi-distribution.jar",
    "guava.jar",
    "caffeine.jar",
    "commons-io.jar",
    "commons-rdf-api.jar",
    "atinject-jsr330-api.jar",
    "hppcrt.jar",
    "xz.jar",
    "slf4j-api.jar",
    "slf4j-nop.jar",
    "rdf4j-model-api.jar",
    "rdf4j-model.jar",
    "rdf4j-model-vocabulary.jar",
    "rdf4j-rio-api.jar",
    "rdf4j-util.jar",
)
TIMEOUT_S = 600
# The OWL API ends each violation with the ontology's ID, which every line would repeat.
_ONTOLOGY_ID = re.compile(r" in OntologyID\(.*?\)\)(?=\])")


class OwlApiUnavailable(RuntimeError):
    """Java, a JDK compiler or the OWL API jars are missing on this machine."""


class OwlApiError(RuntimeError):
    """The OWL API could not load or save the ontology (parse error, unresolvable import, ...)."""


@dataclass(frozen=True)
class ProfileViolation:
    """One OWL 2 DL profile violation, as the OWL API words it."""

    kind: str
    subject: str | None
    message: str


@dataclass(frozen=True)
class ProfileReport:
    """The OWL 2 DL profile check of a file and its imports, with the OWL API's axiom counts."""

    violations: tuple[ProfileViolation, ...]
    stats: dict[str, int]

    @property
    def in_profile(self) -> bool:
        return not self.violations


def java_dir() -> Path:
    return Path(os.environ.get(f"{ENV_PREFIX}_JAVA_DIR", "/usr/share/java"))


def owlapi_classpath() -> str:
    """The class path of the OWL API and its dependencies.

    :raises OwlApiUnavailable: a jar is missing.
    """
    jars = [java_dir() / name for name in OWLAPI_JARS]
    missing = [jar.name for jar in jars if not jar.is_file()]
    if missing:
        raise OwlApiUnavailable(
            f"OWL API jars missing from {java_dir()}: {', '.join(missing)}"
            " (install libowlapi-java: make system-deps)"
        )
    return os.pathsep.join(str(jar) for jar in jars)


def check_profile(path: Path | str) -> ProfileReport:
    """Check ``path`` (with its imports, through its catalog), or the ontology at an http(s) URL,
    against the OWL 2 DL profile.

    :raises OwlApiUnavailable: Java or the OWL API is missing.
    :raises OwlApiError: the OWL API cannot load the file.
    """
    completed = run_tool("profile", str(path))
    if completed.returncode not in (0, 1):
        raise OwlApiError(failure(completed))
    violations: list[ProfileViolation] = []
    stats: dict[str, int] = {}
    for line in completed.stdout.splitlines():
        fields = line.split("\t")
        if fields[0] == "VIOLATION" and len(fields) == 4:
            subject = None if fields[2] == "-" else fields[2]
            message = _ONTOLOGY_ID.sub("", fields[3])
            violations.append(ProfileViolation(kind=fields[1], subject=subject, message=message))
        elif fields[0] == "STAT" and len(fields) == 3:
            stats[fields[1]] = int(fields[2])
    if completed.returncode == 1 and not violations:
        raise OwlApiError(failure(completed))
    # The OWL API reports from hash sets: sort, so that two runs print the same.
    return ProfileReport(violations=tuple(sorted(set(violations), key=_violation_key)), stats=stats)


def save_turtle(path: Path, out: Path) -> None:
    """Load ``path`` and save it to ``out`` as Protege does (Turtle, with the prefixes it was read with).

    :raises OwlApiUnavailable: Java or the OWL API is missing.
    :raises OwlApiError: the OWL API cannot load or save the file.
    """
    completed = run_tool("save", str(path), str(out))
    if completed.returncode != 0:
        raise OwlApiError(failure(completed))


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``OwlTool`` with ``args`` (``profile``, ``save``, ``extract``: see its source) and return
    what it printed.

    :raises OwlApiUnavailable: Java or the OWL API is missing.
    """
    java = shutil.which("java")
    if java is None:
        raise OwlApiUnavailable("java not found (install a JDK: make system-deps)")
    classpath = os.pathsep.join([str(compiled_tool()), owlapi_classpath()])
    return subprocess.run(
        [java, "-cp", classpath, "OwlTool", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def compiled_tool() -> Path:
    """The folder holding ``OwlTool.class``, compiling the source the first time.

    :raises OwlApiUnavailable: it must be compiled and there is no ``javac``, or compiling fails.
    """
    classpath = owlapi_classpath()
    digest = hashlib.sha256(TOOL_SOURCE.read_bytes() + classpath.encode()).hexdigest()[:16]
    target = _cache_dir() / f"owltool-{digest}"
    if (target / "OwlTool.class").is_file():
        return target
    javac = shutil.which("javac")
    if javac is None:
        raise OwlApiUnavailable("javac not found: OwlTool.java needs a JDK (make system-deps)")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Compile into a fresh folder and rename it, so that a parallel run never sees half a build.
    staging = Path(tempfile.mkdtemp(prefix="owltool-", dir=target.parent))
    completed = subprocess.run(
        [javac, "-nowarn", "-d", str(staging), "-cp", classpath, str(TOOL_SOURCE)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise OwlApiUnavailable(f"cannot compile {TOOL_SOURCE.name}: {completed.stderr.strip()}")
    try:
        staging.rename(target)
    except OSError:
        # Another process renamed its build first; theirs is as good as ours.
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _violation_key(violation: ProfileViolation) -> tuple[str, str, str]:
    return (violation.subject or "", violation.kind, violation.message)


def _cache_dir() -> Path:
    if f"{ENV_PREFIX}_CACHE_DIR" in os.environ:
        return Path(os.environ[f"{ENV_PREFIX}_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rlskg"


def failure(completed: subprocess.CompletedProcess[str]) -> str:
    """The reason an ``OwlTool`` run failed, in one line (its ``ERROR`` line, else its last words)."""
    for line in completed.stdout.splitlines():
        if line.startswith("ERROR\t"):
            return line.removeprefix("ERROR\t")
    detail = (completed.stderr or completed.stdout).strip().splitlines()
    return f"OwlTool exited with {completed.returncode}: {detail[-1] if detail else 'no output'}"
